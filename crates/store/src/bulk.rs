//! Bulk writes: multi-row INSERTs, many rows per statement, run so that the next statement is
//! bound while the database executes the last one.

use std::future::{Future, poll_fn};
use std::pin::pin;
use std::sync::Arc;
use std::task::Poll;

use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::{Any, AnyConnection, Arguments, AssertSqlSafe, Executor};

use crate::{Backend, placeholders};

/// The most parameters one statement may carry on either backend: SQLite's default
/// `SQLITE_MAX_VARIABLE_NUMBER` is 32,766 (PostgreSQL allows 65,535).
pub(crate) const MAX_PARAMETERS: usize = 32_766;

/// A query being built, before or after its parameters are bound.
pub(crate) type AnyQuery = Query<'static, Any, AnyArguments>;

/// Binding an optional REAL so that PostgreSQL sees float8 whether or not it is NULL. sqlx
/// 0.9's Any driver sends a NULL `f64` typed float4 (and a NULL `f32` typed float8), and a
/// statement PostgreSQL prepared with a float8 in that place then fails when run with the
/// NULL ("incorrect binary data format in bind parameter"). Check on a sqlx upgrade.
pub(crate) trait BindReal {
    fn bind_real(self, value: Option<f64>) -> Self;
}

impl<'q> BindReal for Query<'q, Any, AnyArguments> {
    fn bind_real(self, value: Option<f64>) -> Self {
        match value {
            Some(x) => self.bind(x),
            None => self.bind(None::<f32>),
        }
    }
}

/// Runs `queries` one after the other on `conn`, stopping at the first error. Each query is
/// taken from the iterator only once the one before it has been handed to the database, so
/// binding the next statement's parameters (the iterator's work) overlaps executing the last
/// (SQLite's worker thread or the PostgreSQL server): two cores each do half.
pub(crate) async fn execute_all(
    conn: &mut AnyConnection,
    mut queries: impl Iterator<Item = AnyQuery>,
) -> sqlx::Result<()> {
    let mut next = queries.next();
    while let Some(query) = next.take() {
        let mut running = pin!(conn.execute(query));
        // One poll sends the statement on its way; then bind the next while it runs.
        let polled = poll_fn(|cx| Poll::Ready(running.as_mut().poll(cx))).await;
        next = queries.next();
        match polled {
            Poll::Ready(result) => result?,
            Poll::Pending => running.await?,
        };
    }
    Ok(())
}

/// A statement text for `rows` rows, built once per size: every full batch runs the same
/// text, so each connection prepares it once (sqlx caches prepared statements per
/// connection) and only the last, shorter batch is prepared apart.
pub(crate) struct Statements<F: Fn(usize) -> String> {
    build: F,
    full_rows: usize,
    full: Option<Arc<str>>,
}

impl<F: Fn(usize) -> String> Statements<F> {
    pub(crate) fn new(full_rows: usize, build: F) -> Self {
        Statements {
            build,
            full_rows,
            full: None,
        }
    }

    /// The statement for `rows` rows, as a query with room for `parameters` to be bound.
    /// Built only from constant fragments and placeholders, never from data.
    pub(crate) fn query(&mut self, rows: usize, parameters: usize) -> AnyQuery {
        let sql = if rows == self.full_rows {
            Arc::clone(
                self.full
                    .get_or_insert_with(|| (self.build)(self.full_rows).into()),
            )
        } else {
            (self.build)(rows).into()
        };
        let mut arguments = AnyArguments::default();
        arguments.reserve(parameters, 0);
        sqlx::query_with(AssertSqlSafe(sql), arguments)
    }
}

/// Inserts `items` with `head` (`INSERT INTO t (a, b) VALUES `), a VALUES list of
/// `columns` placeholders per item, and `tail` (an `ON CONFLICT …` clause or empty), at most
/// `batch` items per statement; `bind` binds one item's `columns` values in order.
pub(crate) async fn insert_many<T>(
    conn: &mut AnyConnection,
    backend: Backend,
    (head, tail): (&str, &str),
    columns: usize,
    batch: usize,
    items: &[T],
    mut bind: impl FnMut(AnyQuery, &T) -> AnyQuery,
) -> sqlx::Result<()> {
    let batch = batch.clamp(1, MAX_PARAMETERS / columns);
    let mut statements = Statements::new(batch, |rows| {
        format!("{head}{}{tail}", placeholders(backend, rows, columns))
    });
    let queries = items.chunks(batch).map(|chunk| {
        chunk.iter().fold(
            statements.query(chunk.len(), chunk.len() * columns),
            &mut bind,
        )
    });
    execute_all(conn, queries).await
}

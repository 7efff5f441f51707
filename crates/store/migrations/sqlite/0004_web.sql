-- minsheng store, version 4 (SQLite): accounts, sessions and login attempts of the web
-- application. Keep in step with ../postgres/0004_web.sql: the same tables and columns; only
-- the column types and identity syntax differ.

-- 用户: who may sign in, with one role and a scope in the region hierarchy. password_hash is
-- an argon2 PHC string (never the password); region_code is the scope (a reporter's county,
-- a reviewer's prefecture, 云南省 for the province); unit is a department's name as plans
-- write it (省卫生健康委); demo marks the demo accounts made on first start (演示账号).
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('plan_owner', 'department', 'reporter',
                                                'reviewer', 'viewer')),
    region_code   TEXT REFERENCES regions (code),
    unit          TEXT,
    demo          INTEGER NOT NULL DEFAULT 0 CHECK (demo = 0 OR demo = 1),
    disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled = 0 OR disabled = 1),
    created_at    TEXT NOT NULL
);

-- 会话: a signed-in browser. token_hash is the SHA-256 (hex) of the cookie's random 256-bit
-- token, so a copy of the database cannot be used to sign in; csrf is the session's form
-- token. Times are RFC 3339 UTC text, compared as text.
CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY NOT NULL,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf         TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- 登录尝试: every sign-in attempt by user name and client address, for rate limiting that
-- holds across several server processes sharing one store.
CREATE TABLE login_attempts (
    id        INTEGER PRIMARY KEY,
    username  TEXT NOT NULL,
    client_ip TEXT NOT NULL,
    at        TEXT NOT NULL,
    succeeded INTEGER NOT NULL CHECK (succeeded = 0 OR succeeded = 1)
);
CREATE INDEX login_attempts_by_key ON login_attempts (username, client_ip, at);

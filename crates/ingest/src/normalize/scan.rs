//! Byte-level scans shared by the line-based steps: faster than decoding every character of a
//! line, which matters because they run on every line of a document.

/// Whether `t` holds one of the ASCII bytes `ascii` or one of the characters `wide` (which must
/// be outside ASCII). A character is decoded only where its first byte is the first byte of one
/// of `wide`.
pub(crate) fn has_any(t: &str, ascii: &[u8], wide: &[char]) -> bool {
    let mut wanted = [false; 256];
    for &a in ascii {
        wanted[usize::from(a)] = true;
    }
    let mut buf = [0u8; 4];
    for c in wide {
        wanted[usize::from(c.encode_utf8(&mut buf).as_bytes()[0])] = true;
    }
    let b = t.as_bytes();
    for (i, &byte) in b.iter().enumerate() {
        if !wanted[usize::from(byte)] {
            continue;
        }
        if byte < 0x80 {
            return true;
        }
        // A wanted lead byte is never inside a character: `i` is a char boundary.
        if t.get(i..)
            .and_then(|rest| rest.chars().next())
            .is_some_and(|c| wide.contains(&c))
        {
            return true;
        }
    }
    false
}

/// Whether `t` holds an ASCII space or tab (the folding step has turned wide spaces into ASCII
/// ones).
pub(crate) fn has_space(t: &str) -> bool {
    t.bytes().any(|b| b == b' ' || b == b'\t')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_ascii_and_wide_characters() {
        assert!(has_any("达到95%，", b",", &['，']));
        assert!(has_any("a,b", b",", &['，']));
        assert!(!has_any("序号 所属领域", b",;", &['，', '。']));
        assert!(has_space("序号 所属"));
        assert!(!has_space("序号所属"));
    }
}

//! Parsing never panics, and the tokens tile the input byte for byte.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let doc = stageplay::syntax::parse(&text);
    let mut pos = 0u32;
    for token in &doc.tokens {
        assert_eq!(token.span.start, pos, "tokens must be contiguous");
        assert!(text.is_char_boundary(token.span.end as usize));
        pos = token.span.end;
    }
    assert_eq!(pos as usize, text.len(), "tokens must cover the input");
});

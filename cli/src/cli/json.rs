//! A hand-written JSON object writer: the bench output is flat records of strings,
//! integers and floats, so a serializer dependency would not earn its place.

use std::fmt::Write;

/// One JSON object, written field by field in insertion order.
#[derive(Default)]
pub struct JsonObject {
    text: String,
}

impl JsonObject {
    /// An empty object.
    pub fn new() -> Self {
        JsonObject::default()
    }

    fn key(&mut self, key: &str) {
        self.text.push(if self.text.is_empty() { '{' } else { ',' });
        write_string(&mut self.text, key);
        self.text.push(':');
    }

    /// Adds a string field.
    pub fn string(mut self, key: &str, value: &str) -> Self {
        self.key(key);
        write_string(&mut self.text, value);
        self
    }

    /// Adds a string field, or `null` for `None`.
    pub fn optional_string(mut self, key: &str, value: Option<&str>) -> Self {
        self.key(key);
        match value {
            Some(value) => write_string(&mut self.text, value),
            None => self.text.push_str("null"),
        }
        self
    }

    /// Adds an unsigned integer field.
    pub fn integer(mut self, key: &str, value: usize) -> Self {
        self.key(key);
        let _ = write!(self.text, "{value}");
        self
    }

    /// Adds an unsigned integer field, or `null` for `None`.
    pub fn optional_integer(mut self, key: &str, value: Option<usize>) -> Self {
        self.key(key);
        match value {
            Some(value) => {
                let _ = write!(self.text, "{value}");
            }
            None => self.text.push_str("null"),
        }
        self
    }

    /// Adds a number field; JSON has no NaN or infinity, so those become `null`.
    pub fn number(mut self, key: &str, value: f64) -> Self {
        self.key(key);
        write_number(&mut self.text, value);
        self
    }

    /// Adds a nested object.
    pub fn object(mut self, key: &str, value: JsonObject) -> Self {
        self.key(key);
        self.text.push_str(&value.finish());
        self
    }

    /// The object's text.
    pub fn finish(mut self) -> String {
        if self.text.is_empty() {
            self.text.push('{');
        }
        self.text.push('}');
        self.text
    }
}

/// Writes `value` as a JSON string literal (RFC 8259 section 7 escapes).
fn write_string(out: &mut String, value: &str) {
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Writes a finite f64 so that it reads back to the same bits; `null` otherwise.
/// Rust's `{:?}` prints the shortest round-trip form ("0.1", "1e-7", "3.0"), which is
/// always a valid JSON number.
fn write_number(out: &mut String, value: f64) {
    if value.is_finite() {
        let _ = write!(out, "{value:?}");
    } else {
        out.push_str("null");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_numbers() {
        let text = JsonObject::new()
            .string("name", "a\"b\\c\n\u{1}")
            .integer("m", 16)
            .number("small", 1e-7)
            .number("big", 1e16)
            .number("whole", 3.0)
            .number("nan", f64::NAN)
            .optional_string("lanes", None)
            .optional_integer("nnz", Some(48))
            .optional_integer("colors", None)
            .object("inner", JsonObject::new())
            .finish();
        assert_eq!(
            text,
            r#"{"name":"a\"b\\c\n\u0001","m":16,"small":1e-7,"big":1e16,"whole":3.0,"nan":null,"lanes":null,"nnz":48,"colors":null,"inner":{}}"#
        );
    }

    #[test]
    fn numbers_round_trip() {
        for value in [0.1, 123456789.123, 5e-324, 1.7976931348623157e308, -2.5e-12] {
            let mut text = String::new();
            write_number(&mut text, value);
            assert_eq!(
                text.parse::<f64>().unwrap().to_bits(),
                value.to_bits(),
                "{text}"
            );
        }
    }
}

//! The parser of the text form: a hand-written recursive descent over a lexer that reads
//! one token at a time. Every error names its line and column; no input makes it panic
//! or recurse without bound (nesting is limited, see [`MAX_NESTING`]).

use super::{Binary, Compare, Expr, MAX_DEPTH, MAX_REGISTERS, Program, Register, Statement, Unary};
use crate::error::Error;

/// The deepest nesting of parentheses and prefix minus signs the parser follows. Larger
/// than [`MAX_DEPTH`] because parentheses nest without deepening the tree.
const MAX_NESTING: usize = 4 * MAX_DEPTH;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Token<'a> {
    Number(&'a str),
    Name(&'a str),
    Symbol(&'static str),
    /// `;` or a line break.
    Separator,
    End,
    Unexpected(char),
}

impl Token<'_> {
    fn describe(&self) -> String {
        match self {
            Token::Number(s) | Token::Name(s) => format!("`{s}`"),
            Token::Symbol(s) => format!("`{s}`"),
            Token::Separator => "the end of the statement".into(),
            Token::End => "the end of the text".into(),
            Token::Unexpected(c) => format!("{c:?}"),
        }
    }
}

const SYMBOLS: [&str; 13] = [
    "<=", ">=", "==", "(", ")", ",", "=", "+", "-", "*", "/", "<", ">",
];

struct Parser<'a> {
    text: &'a str,
    /// Byte offset of the next unread character.
    pos: usize,
    /// Byte offset where the token last returned by `next` starts.
    token_start: usize,
    nesting: usize,
    /// `inputs M` if given.
    declared_inputs: Option<usize>,
    largest_input: usize,
    temps: Vec<bool>,
    outputs: Vec<bool>,
}

/// Parses the text form into a checked [`Program`].
pub(super) fn parse(text: &str) -> Result<Program, Error> {
    let mut p = Parser {
        text,
        pos: 0,
        token_start: 0,
        nesting: 0,
        declared_inputs: None,
        largest_input: 0,
        temps: Vec::new(),
        outputs: Vec::new(),
    };
    let mut statements = Vec::new();
    loop {
        match p.peek() {
            Token::Separator => {
                p.next();
                continue;
            }
            Token::End => break,
            Token::Name("inputs") if statements.is_empty() && p.declared_inputs.is_none() => {
                p.next();
                let m = p.integer()?;
                if m < 1 || m > MAX_REGISTERS as i64 {
                    return Err(p.error(format!("inputs must be 1 to {MAX_REGISTERS}")));
                }
                p.declared_inputs = Some(m as usize);
            }
            _ => statements.push(p.statement()?),
        }
        match p.next() {
            Token::Separator | Token::End => {}
            other => {
                return Err(p.error(format!(
                    "expected `;` or a line break, found {}",
                    other.describe()
                )));
            }
        }
    }
    let inputs = p.declared_inputs.unwrap_or(p.largest_input.max(1));
    Program::new(inputs, statements).map_err(|e| match e {
        Error::InvalidArgument { message } => Error::InvalidArgument {
            message: format!("expression: {message}"),
        },
        other => other,
    })
}

impl<'a> Parser<'a> {
    fn error(&self, message: String) -> Error {
        let before = &self.text[..self.token_start];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        Error::InvalidArgument {
            message: format!("expression: line {line}, column {column}: {message}"),
        }
    }

    /// Skips blanks and comments (not line breaks).
    fn skip_blanks(&mut self) {
        let bytes = self.text.as_bytes();
        while let Some(&b) = bytes.get(self.pos) {
            match b {
                b' ' | b'\t' | b'\r' => self.pos += 1,
                b'#' => {
                    while bytes.get(self.pos).is_some_and(|&b| b != b'\n') {
                        self.pos += 1;
                    }
                }
                _ => break,
            }
        }
    }

    /// The next token and the byte offset just past it, without consuming it.
    fn lex(&mut self) -> (Token<'a>, usize, usize) {
        self.skip_blanks();
        let start = self.pos;
        let rest = &self.text[start..];
        let bytes = rest.as_bytes();
        let Some(&first) = bytes.first() else {
            return (Token::End, start, start);
        };
        if first == b'\n' || first == b';' {
            return (Token::Separator, start, start + 1);
        }
        if first.is_ascii_digit() {
            let mut end = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
            if bytes.get(end) == Some(&b'.') {
                end += 1;
                end += bytes[end..]
                    .iter()
                    .take_while(|b| b.is_ascii_digit())
                    .count();
            }
            if matches!(bytes.get(end), Some(b'e' | b'E')) {
                let mut exp = end + 1;
                if matches!(bytes.get(exp), Some(b'+' | b'-')) {
                    exp += 1;
                }
                let digits = bytes[exp.min(bytes.len())..]
                    .iter()
                    .take_while(|b| b.is_ascii_digit())
                    .count();
                if digits > 0 {
                    end = exp + digits;
                }
            }
            return (Token::Number(&rest[..end]), start, start + end);
        }
        if first.is_ascii_alphabetic() || first == b'_' {
            let end = bytes
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
                .count();
            return (Token::Name(&rest[..end]), start, start + end);
        }
        for s in SYMBOLS {
            if rest.starts_with(s) {
                return (Token::Symbol(s), start, start + s.len());
            }
        }
        let c = rest.chars().next().unwrap_or('\u{fffd}');
        (Token::Unexpected(c), start, start + c.len_utf8())
    }

    fn peek(&mut self) -> Token<'a> {
        let (token, start, _) = self.lex();
        self.token_start = start;
        token
    }

    fn next(&mut self) -> Token<'a> {
        let (token, start, end) = self.lex();
        self.token_start = start;
        self.pos = end;
        token
    }

    fn expect(&mut self, symbol: &'static str) -> Result<(), Error> {
        match self.next() {
            Token::Symbol(s) if s == symbol => Ok(()),
            other => Err(self.error(format!("expected `{symbol}`, found {}", other.describe()))),
        }
    }

    /// An optionally negative integer literal.
    fn integer(&mut self) -> Result<i64, Error> {
        let negative = self.peek() == Token::Symbol("-");
        if negative {
            self.next();
        }
        match self.next() {
            Token::Number(s) if s.bytes().all(|b| b.is_ascii_digit()) => {
                let magnitude: i64 = s
                    .parse()
                    .ok()
                    .filter(|&v: &i64| v <= 1 << 40)
                    .ok_or_else(|| self.error(format!("integer {s} is too large")))?;
                Ok(if negative { -magnitude } else { magnitude })
            }
            other => Err(self.error(format!("expected an integer, found {}", other.describe()))),
        }
    }

    /// A number token (or `inf`, `nan`) as f64; `negative` if a `-` preceded it.
    fn number(&self, token: Token<'_>, negative: bool) -> Option<f64> {
        let v = match token {
            Token::Number(s) => s.parse::<f64>().ok()?,
            Token::Name("inf") => f64::INFINITY,
            Token::Name("nan") => f64::NAN,
            _ => return None,
        };
        Some(if negative { -v } else { v })
    }

    /// A register index: `t12` -> 12. None if `name` is not a register of `prefix`.
    fn register_index(&self, name: &str, prefix: char) -> Result<Option<usize>, Error> {
        let Some(digits) = name.strip_prefix(prefix) else {
            return Ok(None);
        };
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Ok(None);
        }
        match digits.parse::<usize>() {
            Ok(i) if i < MAX_REGISTERS => Ok(Some(i)),
            _ => Err(self.error(format!(
                "register {name}: indices must be below {MAX_REGISTERS}"
            ))),
        }
    }

    fn target(&mut self) -> Result<Register, Error> {
        let token = self.next();
        if let Token::Name(name) = token {
            if let Some(i) = self.register_index(name, 't')? {
                return Ok(Register::Temp(i));
            }
            if let Some(i) = self.register_index(name, 'y')? {
                return Ok(Register::Output(i));
            }
        }
        Err(self.error(format!(
            "expected a register to assign (t0, y0, ...), found {}",
            token.describe()
        )))
    }

    fn mark_assigned(&mut self, target: Register) {
        let (set, i) = match target {
            Register::Temp(i) => (&mut self.temps, i),
            Register::Output(i) => (&mut self.outputs, i),
        };
        if set.len() <= i {
            set.resize(i + 1, false);
        }
        set[i] = true;
    }

    fn statement(&mut self) -> Result<Statement, Error> {
        let first = self.target()?;
        if self.peek() == Token::Symbol(",") {
            self.next();
            let second = self.target()?;
            if second == first {
                return Err(self.error(format!("sin_cos assigns {first} twice")));
            }
            self.expect("=")?;
            match self.next() {
                Token::Name("sin_cos") => {}
                other => {
                    return Err(self.error(format!(
                        "two registers are assigned only by sin_cos(...), found {}",
                        other.describe()
                    )));
                }
            }
            self.expect("(")?;
            let (arg, _) = self.sum()?;
            self.expect(")")?;
            self.mark_assigned(first);
            self.mark_assigned(second);
            return Ok(Statement::SinCos {
                sin: first,
                cos: second,
                arg,
            });
        }
        self.expect("=")?;
        let (value, _) = self.sum()?;
        self.mark_assigned(first);
        Ok(Statement::Assign {
            target: first,
            value,
        })
    }

    fn deeper(&self, depth: usize) -> Result<usize, Error> {
        if depth > MAX_DEPTH {
            Err(self.error(format!("expression deeper than {MAX_DEPTH}")))
        } else {
            Ok(depth)
        }
    }

    /// sum := product (('+' | '-') product)*
    fn sum(&mut self) -> Result<(Expr, usize), Error> {
        let (mut left, mut depth) = self.product()?;
        loop {
            let op = match self.peek() {
                Token::Symbol("+") => Binary::Add,
                Token::Symbol("-") => Binary::Sub,
                _ => return Ok((left, depth)),
            };
            self.next();
            let (right, d) = self.product()?;
            depth = self.deeper(depth.max(d) + 1)?;
            left = Expr::Binary(op, Box::new(left), Box::new(right));
        }
    }

    /// product := unary (('*' | '/') unary)*
    fn product(&mut self) -> Result<(Expr, usize), Error> {
        let (mut left, mut depth) = self.unary()?;
        loop {
            let op = match self.peek() {
                Token::Symbol("*") => Binary::Mul,
                Token::Symbol("/") => Binary::Div,
                _ => return Ok((left, depth)),
            };
            self.next();
            let (right, d) = self.unary()?;
            depth = self.deeper(depth.max(d) + 1)?;
            left = Expr::Binary(op, Box::new(left), Box::new(right));
        }
    }

    /// unary := '-' NUMBER | '-' unary | primary. A minus right before a number makes
    /// a negative constant, so `-2` is the number -2 and `-(2)` its negation.
    fn unary(&mut self) -> Result<(Expr, usize), Error> {
        self.nesting += 1;
        if self.nesting > MAX_NESTING {
            return Err(self.error(format!("nesting deeper than {MAX_NESTING}")));
        }
        let result = if self.peek() == Token::Symbol("-") {
            self.next();
            let save = self.pos;
            let token = self.next();
            match self.number(token, true) {
                Some(c) => Ok((Expr::Const(c), 1)),
                None => {
                    self.pos = save;
                    let (operand, d) = self.unary()?;
                    let depth = self.deeper(d + 1)?;
                    Ok((Expr::Unary(Unary::Neg, Box::new(operand)), depth))
                }
            }
        } else {
            self.primary()
        };
        self.nesting -= 1;
        result
    }

    fn primary(&mut self) -> Result<(Expr, usize), Error> {
        let token = self.next();
        if let Some(c) = self.number(token, false) {
            return Ok((Expr::Const(c), 1));
        }
        match token {
            Token::Symbol("(") => {
                let inner = self.sum()?;
                self.expect(")")?;
                Ok(inner)
            }
            Token::Name(name) => self.name(name),
            other => Err(self.error(format!("expected an operand, found {}", other.describe()))),
        }
    }

    /// A register read or a function call.
    fn name(&mut self, name: &'a str) -> Result<(Expr, usize), Error> {
        if let Some(i) = self.register_index(name, 'x')? {
            if let Some(m) = self.declared_inputs
                && i >= m
            {
                return Err(self.error(format!("x{i} is not an input: inputs {m} declared")));
            }
            self.largest_input = self.largest_input.max(i + 1);
            return Ok((Expr::Input(i), 1));
        }
        for (prefix, set) in [('t', &self.temps), ('y', &self.outputs)] {
            if let Some(i) = self.register_index(name, prefix)? {
                if !set.get(i).copied().unwrap_or(false) {
                    return Err(self.error(format!("{name} is read before it is assigned")));
                }
                let e = if prefix == 't' {
                    Expr::Temp(i)
                } else {
                    Expr::Output(i)
                };
                return Ok((e, 1));
            }
        }
        let call_start = self.token_start;
        if let Some(&f) = Unary::ALL.iter().find(|f| f.name() == name) {
            self.expect("(")?;
            let (a, d) = self.sum()?;
            self.expect(")")?;
            return Ok((Expr::Unary(f, Box::new(a)), self.deeper(d + 1)?));
        }
        if let Some(&f) = Binary::ALL[4..].iter().find(|f| f.name() == name) {
            self.expect("(")?;
            let (a, da) = self.sum()?;
            self.expect(",")?;
            let (b, db) = self.sum()?;
            self.expect(")")?;
            let depth = self.deeper(da.max(db) + 1)?;
            return Ok((Expr::Binary(f, Box::new(a), Box::new(b)), depth));
        }
        match name {
            "powi" => {
                self.expect("(")?;
                let (a, d) = self.sum()?;
                self.expect(",")?;
                let n = self.integer()?;
                let n = i32::try_from(n)
                    .map_err(|_| self.error(format!("powi exponent {n} is not an i32")))?;
                self.expect(")")?;
                Ok((Expr::Powi(Box::new(a), n), self.deeper(d + 1)?))
            }
            "powf" => {
                self.expect("(")?;
                let (a, d) = self.sum()?;
                self.expect(",")?;
                let negative = self.peek() == Token::Symbol("-");
                if negative {
                    self.next();
                }
                let token = self.next();
                let c = self.number(token, negative).ok_or_else(|| {
                    self.error(format!(
                        "powf takes a constant exponent, found {}",
                        token.describe()
                    ))
                })?;
                self.expect(")")?;
                Ok((Expr::Powf(Box::new(a), c), self.deeper(d + 1)?))
            }
            "mul_add" => {
                self.expect("(")?;
                let (a, da) = self.sum()?;
                self.expect(",")?;
                let (b, db) = self.sum()?;
                self.expect(",")?;
                let (c, dc) = self.sum()?;
                self.expect(")")?;
                let depth = self.deeper(da.max(db).max(dc) + 1)?;
                Ok((Expr::MulAdd(Box::new(a), Box::new(b), Box::new(c)), depth))
            }
            "select" => {
                self.expect("(")?;
                let (left, dl) = self.sum()?;
                let compare = match self.next() {
                    Token::Symbol("<") => Compare::Lt,
                    Token::Symbol("<=") => Compare::Le,
                    Token::Symbol(">") => Compare::Gt,
                    Token::Symbol(">=") => Compare::Ge,
                    Token::Symbol("==") => Compare::Eq,
                    other => {
                        return Err(self.error(format!(
                            "expected a comparison (<, <=, >, >=, ==), found {}",
                            other.describe()
                        )));
                    }
                };
                let (right, dr) = self.sum()?;
                self.expect(",")?;
                let (if_true, dt) = self.sum()?;
                self.expect(",")?;
                let (if_false, df) = self.sum()?;
                self.expect(")")?;
                let depth = self.deeper(dl.max(dr).max(dt).max(df) + 1)?;
                Ok((
                    Expr::Select {
                        compare,
                        left: Box::new(left),
                        right: Box::new(right),
                        if_true: Box::new(if_true),
                        if_false: Box::new(if_false),
                    },
                    depth,
                ))
            }
            _ => {
                self.token_start = call_start;
                Err(self.error(format!("unknown name `{name}`")))
            }
        }
    }
}

//! Random programs and points from a byte string, for fuzzing: every byte string gives
//! a valid program, and small changes to the bytes give small changes to the program,
//! which is what a coverage-guided fuzzer needs. (The same idea as the `arbitrary`
//! crate's `Unstructured`, kept in the library so the stable-toolchain replay test and
//! the fuzz targets decode a corpus file into the same case.)

use super::{Binary, Compare, Expr, Program, Register, Statement, Unary};

/// Reads decisions from a byte string; past its end every read gives 0, so any byte
/// string decodes, the empty one to the simplest case.
///
/// ```
/// use batchjac::expr::ByteSource;
/// let mut bytes = ByteSource::new(&[7, 1, 2]);
/// assert_eq!(bytes.below(5), 2);
/// assert_eq!(bytes.byte(), 1);
/// assert_eq!(bytes.u16(), 2); // one byte left, then zeros
/// assert!(bytes.is_empty());
/// ```
#[derive(Clone, Debug)]
pub struct ByteSource<'a> {
    data: &'a [u8],
}

/// Constants that hit the interesting places of the elementary functions: zeros,
/// domain edges (+-1 for asin/atanh, 1 for acosh), poles, and ordinary values.
const NICE: [f64; 24] = [
    0.0,
    1.0,
    -1.0,
    2.0,
    0.5,
    -0.5,
    3.0,
    -2.0,
    0.25,
    10.0,
    0.1,
    -0.75,
    core::f64::consts::PI,
    core::f64::consts::FRAC_PI_2,
    1.5,
    -3.0,
    1e-3,
    100.0,
    0.9,
    -0.9,
    0.999,
    1.001,
    1e-8,
    -0.0,
];

/// Inputs beyond the ordinary: non-finite, huge, tiny and subnormal values.
const SPECIAL: [f64; 10] = [
    f64::NAN,
    f64::INFINITY,
    f64::NEG_INFINITY,
    1e300,
    -1e300,
    1e-300,
    5e-324,
    f64::MAX,
    f64::MIN_POSITIVE,
    710.0,
];

impl<'a> ByteSource<'a> {
    /// Reads from `data`.
    ///
    /// ```
    /// use batchjac::expr::ByteSource;
    /// let mut bytes = ByteSource::new(&[42]);
    /// assert_eq!((bytes.byte(), bytes.byte()), (42, 0)); // zeros past the end
    /// ```
    pub fn new(data: &'a [u8]) -> Self {
        ByteSource { data }
    }

    /// True when every byte has been read.
    ///
    /// ```
    /// use batchjac::expr::ByteSource;
    /// let mut bytes = ByteSource::new(&[1]);
    /// assert!(!bytes.is_empty());
    /// bytes.byte();
    /// assert!(bytes.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// The next byte (0 past the end).
    ///
    /// ```
    /// use batchjac::expr::ByteSource;
    /// let mut bytes = ByteSource::new(&[9, 255]);
    /// assert_eq!([bytes.byte(), bytes.byte(), bytes.byte()], [9, 255, 0]);
    /// ```
    pub fn byte(&mut self) -> u8 {
        match self.data.split_first() {
            Some((&b, rest)) => {
                self.data = rest;
                b
            }
            None => 0,
        }
    }

    /// A number in `0..n` from one byte (`n` at most 256; 0 when `n` is 0).
    ///
    /// ```
    /// use batchjac::expr::ByteSource;
    /// let mut bytes = ByteSource::new(&[17, 17]);
    /// assert_eq!(bytes.below(5), 2); // 17 % 5
    /// assert_eq!(bytes.below(0), 0); // reads nothing
    /// assert_eq!(bytes.below(256), 17);
    /// ```
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { self.byte() as usize % n }
    }

    /// Two bytes, little-endian.
    ///
    /// ```
    /// use batchjac::expr::ByteSource;
    /// assert_eq!(ByteSource::new(&[0x34, 0x12]).u16(), 0x1234);
    /// ```
    pub fn u16(&mut self) -> u16 {
        u16::from_le_bytes([self.byte(), self.byte()])
    }

    /// Eight bytes, little-endian.
    ///
    /// ```
    /// use batchjac::expr::ByteSource;
    /// assert_eq!(ByteSource::new(&[1, 0, 0, 0, 0, 0, 0, 2]).u64(), 2 << 56 | 1);
    /// ```
    pub fn u64(&mut self) -> u64 {
        let mut b = [0u8; 8];
        b.iter_mut().for_each(|b| *b = self.byte());
        u64::from_le_bytes(b)
    }

    /// A coordinate of a point: mostly ordinary values in [-4, 4] and constants at the
    /// interesting places of the elementary functions (zeros, domain edges, poles),
    /// sometimes non-finite, huge, tiny or arbitrary bit patterns.
    ///
    /// ```
    /// use batchjac::expr::ByteSource;
    /// // An exhausted source gives 0.7 (about): inside every function's domain.
    /// assert!((ByteSource::new(&[]).coordinate() - 0.7).abs() < 1e-3);
    /// // Selector bytes 120..=219 pick a constant at an interesting place: 1 here.
    /// assert_eq!(ByteSource::new(&[120, 1]).coordinate(), 1.0);
    /// // 220..=244 pick a special value: NaN here.
    /// assert!(ByteSource::new(&[220, 0]).coordinate().is_nan());
    /// ```
    pub fn coordinate(&mut self) -> f64 {
        match self.byte() {
            // Uniform in [-4, 4); the offset makes all-zero bytes (what an exhausted
            // source gives) decode to 0.7, inside every function's domain.
            0..=119 => ((self.u16() as f64 + 38502.0) % 65536.0 / 65536.0 - 0.5) * 8.0,
            120..=219 => NICE[self.below(NICE.len())],
            220..=244 => SPECIAL[self.below(SPECIAL.len())],
            _ => f64::from_bits(self.u64()),
        }
    }

    /// A point with `m` coordinates.
    ///
    /// ```
    /// use batchjac::expr::ByteSource;
    /// let point = ByteSource::new(&[120, 1, 120, 2]).point(3);
    /// assert_eq!(point.len(), 3);
    /// assert_eq!(point[..2], [1.0, -1.0]);
    /// ```
    pub fn point(&mut self, m: usize) -> Vec<f64> {
        (0..m).map(|_| self.coordinate()).collect()
    }

    fn constant(&mut self) -> f64 {
        match self.byte() {
            0..=199 => NICE[self.below(NICE.len())],
            200..=239 => (self.u16() as f64 / 65535.0 - 0.5) * 8.0,
            240..=249 => SPECIAL[self.below(SPECIAL.len())],
            _ => f64::from_bits(self.u64()),
        }
    }

    /// A checked program with 1 to `max_inputs` inputs (at most 256), 1 to 4 outputs, up
    /// to 4 temporaries and expressions up to 5 deep, drawing on every operation.
    ///
    /// ```
    /// use batchjac::expr::{ByteSource, Program};
    /// use batchjac::VectorFn;
    /// let program = ByteSource::new(b"any bytes at all").program(4);
    /// assert!((1..=4).contains(&program.inputs()) && (1..=4).contains(&program.outputs()));
    /// // The same bytes give the same program, and its text parses back to it.
    /// assert_eq!(ByteSource::new(b"any bytes at all").program(4), program);
    /// assert_eq!(Program::parse(&program.to_string()).unwrap(), program);
    /// ```
    pub fn program(&mut self, max_inputs: usize) -> Program {
        let inputs = 1 + self.below(max_inputs.clamp(1, 256));
        let outputs = 1 + self.below(4);
        let count = 1 + self.below(8);
        let mut generator = Generator {
            inputs,
            temps: [false; 4],
            outputs: vec![false; outputs],
        };
        let mut statements = Vec::with_capacity(count + outputs);
        for _ in 0..count {
            let first = generator.target(self);
            if self.below(8) == 0 {
                let second = generator.target(self);
                if second != first {
                    let arg = generator.expr(self, 4);
                    generator.assign(first);
                    generator.assign(second);
                    statements.push(Statement::SinCos {
                        sin: first,
                        cos: second,
                        arg,
                    });
                    continue;
                }
            }
            let value = generator.expr(self, 5);
            generator.assign(first);
            statements.push(Statement::Assign {
                target: first,
                value,
            });
        }
        for i in 0..outputs {
            if !generator.outputs[i] {
                let value = generator.expr(self, 5);
                generator.assign(Register::Output(i));
                statements.push(Statement::Assign {
                    target: Register::Output(i),
                    value,
                });
            }
        }
        // Valid by construction: registers are read only after they are assigned, indices
        // and depths are small. Should that ever fail, fall back to the identity.
        Program::new(inputs, statements).unwrap_or_else(|_| {
            Program::parse("y0 = x0").unwrap_or_else(|_| unreachable!("a fixed valid program"))
        })
    }
}

struct Generator {
    inputs: usize,
    temps: [bool; 4],
    outputs: Vec<bool>,
}

impl Generator {
    fn target(&self, bytes: &mut ByteSource<'_>) -> Register {
        let k = bytes.below(4 + self.outputs.len());
        if k < 4 {
            Register::Temp(k)
        } else {
            Register::Output(k - 4)
        }
    }

    fn assign(&mut self, r: Register) {
        match r {
            Register::Temp(i) => self.temps[i] = true,
            Register::Output(i) => self.outputs[i] = true,
        }
    }

    fn leaf(&self, bytes: &mut ByteSource<'_>) -> Expr {
        match bytes.below(8) {
            0..=4 => Expr::Input(bytes.below(self.inputs)),
            5 => {
                let assigned: Vec<usize> = (0..4).filter(|&i| self.temps[i]).collect();
                match assigned.len() {
                    0 => Expr::Input(bytes.below(self.inputs)),
                    k => Expr::Temp(assigned[bytes.below(k)]),
                }
            }
            6 => {
                let assigned: Vec<usize> = (0..self.outputs.len())
                    .filter(|&i| self.outputs[i])
                    .collect();
                match assigned.len() {
                    0 => Expr::Input(bytes.below(self.inputs)),
                    k => Expr::Output(assigned[bytes.below(k)]),
                }
            }
            _ => Expr::Const(bytes.constant()),
        }
    }

    fn expr(&self, bytes: &mut ByteSource<'_>, depth: usize) -> Expr {
        let choice = bytes.byte();
        if depth <= 1 || choice < 70 {
            return self.leaf(bytes);
        }
        let sub = |bytes: &mut ByteSource<'_>| Box::new(self.expr(bytes, depth - 1));
        match choice {
            70..=149 => {
                let f = Unary::ALL[bytes.below(Unary::ALL.len())];
                Expr::Unary(f, sub(bytes))
            }
            150..=219 => {
                let f = Binary::ALL[bytes.below(Binary::ALL.len())];
                let a = sub(bytes);
                Expr::Binary(f, a, sub(bytes))
            }
            220..=229 => {
                let n = bytes.below(13) as i32 - 6;
                Expr::Powi(sub(bytes), n)
            }
            230..=239 => {
                let c = [0.5, -0.5, 1.5, 2.5, -1.5, 1.0 / 3.0, 3.0, 0.0][bytes.below(8)];
                Expr::Powf(sub(bytes), c)
            }
            240..=247 => {
                let (a, b) = (sub(bytes), sub(bytes));
                Expr::MulAdd(a, b, sub(bytes))
            }
            _ => {
                let compare = Compare::ALL[bytes.below(Compare::ALL.len())];
                let (left, right) = (sub(bytes), sub(bytes));
                let (if_true, if_false) = (sub(bytes), sub(bytes));
                Expr::Select {
                    compare,
                    left,
                    right,
                    if_true,
                    if_false,
                }
            }
        }
    }
}

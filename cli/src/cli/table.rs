//! Plain-text tables: a header row, a rule, and columns padded to their widest cell.

/// How a column's cells line up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    /// Text: flush left.
    Left,
    /// Numbers: flush right, so that digits line up.
    Right,
}

/// A table under construction.
pub struct Table {
    columns: Vec<(String, Align)>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these column headers.
    pub fn new(columns: &[(&str, Align)]) -> Self {
        Table {
            columns: columns.iter().map(|(h, a)| (h.to_string(), *a)).collect(),
            rows: Vec::new(),
        }
    }

    /// Appends a row (missing cells print empty, extra cells are dropped).
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// The table as text, one line per row, each ending in a newline.
    pub fn render(&self) -> String {
        let cell = |row: &[String], c: usize| row.get(c).map_or("", |s| s.as_str()).to_string();
        let widths: Vec<usize> = (0..self.columns.len())
            .map(|c| {
                self.rows
                    .iter()
                    .map(|row| cell(row, c).chars().count())
                    .chain([self.columns[c].0.chars().count()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let line = |cells: Vec<String>| {
            let padded: Vec<String> = cells
                .iter()
                .zip(&self.columns)
                .zip(&widths)
                .map(|((text, (_, align)), &width)| match align {
                    Align::Left => format!("{text:<width$}"),
                    Align::Right => format!("{text:>width$}"),
                })
                .collect();
            padded.join("  ").trim_end().to_string() + "\n"
        };
        let mut out = line(self.columns.iter().map(|(h, _)| h.clone()).collect());
        out += &line(widths.iter().map(|&w| "-".repeat(w)).collect());
        for row in &self.rows {
            out += &line((0..self.columns.len()).map(|c| cell(row, c)).collect());
        }
        out
    }
}

/// A rate with an SI prefix and three significant digits: `12.3M`, `950k`, `4.21G`.
pub fn si(value: f64) -> String {
    if !value.is_finite() {
        return format!("{value}");
    }
    let (scaled, prefix) = [(1e9, "G"), (1e6, "M"), (1e3, "k")]
        .into_iter()
        .find(|(scale, _)| value.abs() >= *scale)
        .map_or((value, ""), |(scale, p)| (value / scale, p));
    let digits = if scaled.abs() >= 100.0 {
        0
    } else if scaled.abs() >= 10.0 {
        1
    } else {
        2
    };
    format!("{scaled:.digits$}{prefix}")
}

/// A ratio such as a speedup: `12.3x`, `0.85x`.
pub fn ratio(value: f64) -> String {
    if value >= 100.0 {
        format!("{value:.0}x")
    } else if value >= 10.0 {
        format!("{value:.1}x")
    } else {
        format!("{value:.2}x")
    }
}

/// A fraction as a whole percentage: 0.934 -> "93%".
pub fn percent(value: f64) -> String {
    format!("{:.0}%", 100.0 * value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn si_prefixes() {
        assert_eq!(si(12_345_678.0), "12.3M");
        assert_eq!(si(950_400.0), "950k");
        assert_eq!(si(4_213_000_000.0), "4.21G");
        assert_eq!(si(7.5), "7.50");
        assert_eq!(ratio(0.854), "0.85x");
        assert_eq!(ratio(123.4), "123x");
        assert_eq!(percent(0.934), "93%");
        assert_eq!(percent(1.006), "101%");
    }

    #[test]
    fn columns_line_up() {
        let mut table = Table::new(&[("name", Align::Left), ("rate", Align::Right)]);
        table.row(vec!["arm7".into(), "1.00M".into()]);
        table.row(vec!["ext_rosenbrock".into(), "950k".into()]);
        assert_eq!(
            table.render(),
            "name             rate\n\
             --------------  -----\n\
             arm7            1.00M\n\
             ext_rosenbrock   950k\n"
        );
    }
}

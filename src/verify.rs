//! Finite differences, Taylor-remainder tests and error models (issue 4; work in progress).

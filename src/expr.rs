//! Runtime expression programs (issue 6; work in progress).

//! Many Jacobians in parallel (issue 3; work in progress).

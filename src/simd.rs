//! Batch-lane value math: `Real` for SIMD lane vectors (issue 7; work in progress).

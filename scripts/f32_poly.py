# Near-minimax polynomial coefficients of the f32 kernels (src/simd/kernels.rs,
# module constants_f32), by Lawson's iteratively reweighted least squares in mpmath:
# each fit minimises the largest relative error of the function it approximates on
# Chebyshev points of its interval, then reports that error on a dense grid with the
# coefficients rounded to f64. `python3 scripts/f32_poly.py` (needs mpmath).
import mpmath as mp
mp.mp.dps = 40
def fit(target, weight, lo, hi, deg, npts=400, iters=60):
    # minimize max |weight(t) * (target(t) - sum c_j t^j)| over [lo, hi]
    pts = [ (lo+hi)/2 + (hi-lo)/2*mp.cos(mp.pi*(i+0.5)/npts) for i in range(npts)]
    w = [mp.mpf(1)]*npts
    for _ in range(iters):
        A = mp.matrix(npts, deg+1); b = mp.matrix(npts, 1)
        for i,t in enumerate(pts):
            s = mp.sqrt(w[i])*weight(t)
            for j in range(deg+1): A[i,j] = s*t**j
            b[i] = s*target(t)
        # normal equations
        At = A.T
        c = mp.lu_solve(At*A, At*b)
        errs = [abs(weight(t)*(target(t)-sum(c[j]*t**j for j in range(deg+1)))) for t in pts]
        tot = sum(w[i]*errs[i] for i in range(npts))
        w = [w[i]*errs[i]/tot for i in range(npts)]
    # error on a dense grid, with coefficients rounded to double
    cd = [float(c[j]) for j in range(deg+1)]
    grid = [lo + (hi-lo)*i/4000 for i in range(4001)]
    e = max(abs(weight(t)*(target(t)-sum(mp.mpf(cd[j])*t**j for j in range(deg+1)))) for t in grid)
    return cd, float(e)

pi4 = mp.pi/4*1.001
# sin(r) = r + r^3 S(z): fit S(z) on z in [0, pi4^2]; error in sin relative: r^2 dS ~ z dS
def S(z): return (mp.sin(mp.sqrt(z)) - mp.sqrt(z))/mp.sqrt(z)**3 if z > 0 else mp.mpf(-1)/6
for d in (3,4):
    c,e = fit(S, lambda z: z if z>0 else mp.mpf('1e-30'), mp.mpf(0), pi4**2, d); print("sin S deg",d, c, "err", e, mp.log(e,2))
def C(z): return (mp.cos(mp.sqrt(z)) - 1 + z/2)/z**2 if z > 0 else mp.mpf(1)/24
for d in (3,4):
    c,e = fit(C, lambda z: z*z/mp.cos(mp.sqrt(z)) if z>0 else mp.mpf('1e-30'), mp.mpf(0), pi4**2, d); print("cos C deg",d, c, "err", e, mp.log(e,2))
h = mp.log(2)/2*1.001
def E(r): return (mp.exp(r)-1-r)/r**2 if r != 0 else mp.mpf(0.5)
for d in (4,5):
    c,e = fit(E, lambda r: r*r/mp.exp(r) if r!=0 else mp.mpf('1e-30'), -h, h, d); print("exp E deg",d, c, "err", e, mp.log(e,2))
def F(r): return (mp.power(2,r)-1-r*mp.log(2))/r**2 if r != 0 else mp.log(2)**2/2
for d in (4,5):
    c,e = fit(F, lambda r: r*r/mp.power(2,r) if r!=0 else mp.mpf('1e-30'), mp.mpf(-0.5), mp.mpf(0.5), d); print("exp2 F deg",d, c, "err", e, mp.log(e,2))
# cbrt(m) = C(m - 1.5) on m in [1, 2], relative error (a Newton step follows)
def T(z): return mp.cbrt(z + mp.mpf(1.5))
for d in (4,):
    c,e = fit(T, lambda z: 1/mp.cbrt(z + mp.mpf(1.5)), mp.mpf(-0.5), mp.mpf(0.5), d, npts=200, iters=40); print("cbrt C deg",d, c, "err", e, mp.log(e,2))
# asin(s) = s + s^3 P(s^2) on s in [0, 1/2]: fit P(z) on z in [0, 1/4], relative error of asin
def AS(z): return (mp.asin(mp.sqrt(z)) - mp.sqrt(z))/mp.sqrt(z)**3 if z > 0 else mp.mpf(1)/6
for d in (6,):
    c,e = fit(AS, lambda z: mp.sqrt(z)**3/mp.asin(mp.sqrt(z)) if z > 0 else mp.mpf('1e-30'), mp.mpf(0), mp.mpf(0.25), d, npts=150, iters=30); print("asin P deg",d, c, "err", e, mp.log(e,2))
# atan(t) = t + t^3 P(t^2) on t in [0, tan(pi/8)] (a little past): fit P(z) on z = t^2,
# relative error of atan.
t8 = mp.tan(mp.pi/8)*mp.mpf(1.00001)
def AT(z): return (mp.atan(mp.sqrt(z)) - mp.sqrt(z))/mp.sqrt(z)**3 if z > 0 else mp.mpf(-1)/3
for d in (6,):
    c,e = fit(AT, lambda z: mp.sqrt(z)**3/mp.atan(mp.sqrt(z)) if z > 0 else mp.mpf('1e-30'), mp.mpf(0), t8**2, d, npts=150, iters=30); print("atan P deg",d, c, "err", e, mp.log(e,2))
# pow and log2: log2(1 + r) = r P(r) on |r| <= 2^-7 (the logarithms' table), relative
# error of log2(1 + r); 2^r = 1 + r Q(r) on |r| <= 1/128 (after the 64-row table of
# scripts/exp2_table.py), relative error of 2^r.
h7 = mp.mpf(2)**-7*mp.mpf(1.001)
def L2(r): return mp.log(1+r,2)/r if r != 0 else 1/mp.log(2)
for d in (4,):
    c,e = fit(L2, lambda r: r/mp.log(1+r,2) if r != 0 else mp.log(2), -h7, h7, d, npts=120, iters=30); print("pow log2 P deg",d, c, "err", e, mp.log(e,2))
# ln(1 + r) = r + r^2 Q(r) on the same interval (f32 ln and log10), relative error of
# ln(1 + r).
def LQ(r): return (mp.log(1+r)-r)/r**2 if r != 0 else mp.mpf(-0.5)
for d in (3,):
    c,e = fit(LQ, lambda r: r*r/mp.log(1+r) if r != 0 else mp.mpf('1e-30'), -h7, h7, d, npts=120, iters=30); print("ln Q deg",d, c, "err", e, mp.log(e,2))
def X2(r): return (mp.power(2,r)-1)/r if r != 0 else mp.log(2)
for d in (2,):
    c,e = fit(X2, lambda r: r/mp.power(2,r) if r != 0 else mp.mpf(1), -h7, h7, d, npts=120, iters=30); print("pow exp2 Q deg",d, c, "err", e, mp.log(e,2))

#!/usr/bin/env python3
"""The polynomial behind bernoulli_fast.c's exp: p(r) = 1 + r + c2 r^2 + ...
+ c11 r^11 ~ e^r on |r| <= ln2/2, with c0 = c1 = 1 exact, c2..c11 making the
relative error zero at the ten non-zero Chebyshev extrema a cos(i pi/10),
i = 0..10 (near-minimax). Prints the coefficients as C hex doubles and the
relative error of p with those double coefficients, in exact arithmetic:
its maximum over a grid and a bound between grid points from the maximum
derivative on it. Needs mpmath (Debian: python3-mpmath)."""
import mpmath as mp

mp.mp.dps = 50
# |r| <= ln2/2 (1 + 2.3e-13) after the reduction (bernoulli_fast.c): slack.
a = mp.log(2) / 2 * (1 + mp.mpf("1e-12"))
nodes = [a * mp.cos(i * mp.pi / 10) for i in range(11) if i != 5]
A = mp.matrix([[x**j for j in range(2, 12)] for x in nodes])
b = mp.matrix([mp.exp(x) - 1 - x for x in nodes])
c = [mp.mpf(1), mp.mpf(1)] + [mp.mpf(float(v)) for v in mp.lu_solve(A, b)]


def err(x):
    return mp.polyval(c[::-1], x) * mp.exp(-x) - 1


def derr(x):  # d/dx of p(x) e^-x - 1 = (p'(x) - p(x)) e^-x
    dp = [j * c[j] for j in range(1, 12)]
    return (mp.polyval(dp[::-1], x) - mp.polyval(c[::-1], x)) * mp.exp(-x)


n = 20000
h = 2 * a / n
grid = [-a + k * h for k in range(n + 1)]
e_max = max(abs(err(x)) for x in grid)
d_max = max(abs(derr(x)) for x in grid)
for j, cj in enumerate(c):
    print("c%-2d %s  %.17g" % (j, float(cj).hex(), float(cj)))
print("max |p(r) e^-r - 1| on %d points: %s" % (n + 1, mp.nstr(e_max, 4)))
print("max |derivative| on them: %s, so between points at most %s more"
      % (mp.nstr(d_max, 4), mp.nstr(d_max * h, 4)))

# scripts/usl-fit.gp — fits the Universal Scalability Law to one strategy's
# measured throughput with gnuplot's `fit` (Levenberg-Marquardt, unweighted
# least squares on X):   X(N) = l N / (1 + s (N-1) + k N (N-1)).
# Parameters: datafile (threads, Mops/s per row), outfile, l0 (start value of
# lambda), fix_s, fix_k (1: hold that parameter at 0 and do not fit it).
# plot.sh keeps s >= 0 and k >= 0 by fitting every face of that quadrant
# (all free; s held at 0; k held at 0; both) and keeping the feasible fit with
# the smallest sum of squared residuals: the constrained least-squares optimum
# is always one of those. Writes one line to outfile:
#   lambda sigma kappa lambda_err sigma_err kappa_err wssr ndf
# The errors are gnuplot's asymptotic standard errors (scaled by the
# residuals, "set fit errorscaling"); a parameter held at 0 has error 0.
set fit quiet nolog errorvariables errorscaling
FIT_LIMIT = 1e-12
FIT_MAXITER = 1000
l = l0
s = fix_s ? 0 : 0.01
k = fix_k ? 0 : 0.0001
s_err = 0
k_err = 0
X(n) = l * n / (1 + s * (n - 1) + k * n * (n - 1))
if (fix_s && fix_k) {
	fit X(x) datafile using 1:2 via l
} else {
	if (fix_s) {
		fit X(x) datafile using 1:2 via l, k
	} else {
		if (fix_k) {
			fit X(x) datafile using 1:2 via l, s
		} else {
			fit X(x) datafile using 1:2 via l, s, k
		}
	}
}
set print outfile
print sprintf("%.12g %.12g %.12g %.12g %.12g %.12g %.12g %d", l, s, k, l_err, s_err, k_err, FIT_WSSR, FIT_NDF)
set print

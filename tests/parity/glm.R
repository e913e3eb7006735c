# GLM fixtures: what R's glm.fit / glm.nb give for the problems our fitter (src/surveil/glm.c)
# must reproduce.
#
#   Rscript tests/parity/glm.R          (from the project root; needs r-cran-surveillance)
#
# Writes tests/parity/glm/input.csv (one row per observation) and tests/parity/glm/expected.csv
# (problem, quantity, index, value), read by tests/surveil/test_glm.c.
#
# Problems:
#   flex10   quasi-Poisson, y ~ 1 + wtime + seasgroups (10 levels), prior weights: a Farrington
#            flexible (Noufaily) fit on the summed salmNewport series
#   trend1   quasi-Poisson, y ~ 1 + wtime: a Farrington (1996) fit
#   harm     Poisson, y ~ 1 + cos + sin (glrnb's mu0) on the first 104 weeks of salmAllOnset
#   nbfix    negative binomial with theta = 4, same design
#   nbest    MASS::glm.nb, same design (theta estimated)
suppressMessages({ library(surveillance); library(MASS) })
out <- file.path("tests", "parity", "glm")
dir.create(out, showWarnings = FALSE, recursive = TRUE)
data(salmNewport); data(salmAllOnset)
tot <- rowSums(observed(salmNewport))
inp <- list(); exp <- list()
put <- function(problem, quantity, v) {
  exp[[length(exp) + 1]] <<- data.frame(problem = problem, quantity = quantity,
                                         index = seq_along(v), value = sprintf("%.17g", v))
}
summ <- function(problem, m, x0, wts = NULL) {
  put(problem, "coef", coef(m))
  put(problem, "mu", fitted(m))
  put(problem, "weights", m$weights)
  put(problem, "hat", hatvalues(m))
  put(problem, "dispersion", summary.glm(m)$dispersion)
  put(problem, "iter", m$iter)
  put(problem, "converged", as.integer(m$converged))
  p <- predict.glm(m, newdata = x0, se.fit = TRUE, type = "link")
  put(problem, "eta0", p$fit)
  put(problem, "var0", (p$se.fit / p$residual.scale)^2)
  put(problem, "coefvar", diag(summary.glm(m)$cov.unscaled))
}

# flex10: the 236 weeks before week 500, blocks as Noufaily's factor (10 levels).
idx <- 240:475; y <- tot[idx]; wtime <- idx - idx[1]
grp <- ((idx - 240) %/% 24) %% 10 + 1
w <- 0.5 + (seq_along(y) %% 7) / 7
d <- data.frame(response = y, wtime = wtime, seasgroups = factor(grp), w = w)
m <- glm(response ~ 1 + wtime + seasgroups, data = d, family = quasipoisson(link = "log"), weights = w)
summ("flex10", m, data.frame(wtime = 260, seasgroups = factor(10, levels = 1:10)))
inp[[1]] <- data.frame(problem = "flex10", y = y, weight = w, group = grp, trend = wtime, c1 = 0, c2 = 0)

# trend1: Farrington's 35 reference weeks around week 400 of the last 5 years.
k <- 500; idx <- as.vector(sapply(5:1, function(i) (k - 52 * i - 3):(k - 52 * i + 3)))
y <- tot[idx]
d <- data.frame(response = y, wtime = idx)
m <- glm(response ~ 1 + wtime, data = d, family = quasipoisson(link = "log"))
summ("trend1", m, data.frame(wtime = k))
inp[[2]] <- data.frame(problem = "trend1", y = y, weight = 1, group = 1, trend = idx, c1 = 0, c2 = 0)

# harm / nbfix / nbest: the seasonal model glrnb fits for mu0.
y <- as.vector(observed(salmAllOnset))[1:104]; t <- 1:104; p <- 52
d <- data.frame(y = y, t = t)
x0 <- data.frame(t = 105)
m <- glm(y ~ 1 + cos(2 * pi / p * t) + sin(2 * pi / p * t), family = poisson(), data = d)
summ("harm", m, x0)
m <- glm(y ~ 1 + cos(2 * pi / p * t) + sin(2 * pi / p * t), family = negative.binomial(theta = 4), data = d)
summ("nbfix", m, x0)
m <- glm.nb(y ~ 1 + cos(2 * pi / p * t) + sin(2 * pi / p * t), data = d)
summ("nbest", m, x0)
put("nbest", "theta", m$theta)
for (pr in c("harm", "nbfix", "nbest"))
  inp[[length(inp) + 1]] <- data.frame(problem = pr, y = y, weight = 1, group = 1, trend = t,
                                       c1 = cos(2 * pi / p * t), c2 = sin(2 * pi / p * t))
put("harm", "x0", c(1, cos(2 * pi / p * 105), sin(2 * pi / p * 105)))

inp <- do.call(rbind, inp)
inp$c1 <- sprintf("%.17g", inp$c1); inp$c2 <- sprintf("%.17g", inp$c2)
inp$weight <- sprintf("%.17g", inp$weight)
write.csv(inp, file.path(out, "input.csv"), row.names = FALSE, quote = FALSE)
write.csv(do.call(rbind, exp), file.path(out, "expected.csv"), row.names = FALSE, quote = FALSE)

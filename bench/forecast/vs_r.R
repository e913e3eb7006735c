# The reference side of bench/forecast/run.sh: the production forecast ensemble of healthybay
# (src/forecast/), member for member, in R with R's standard tools, timed on a sample of the
# benchmark's series.
#
#   Rscript bench/forecast/vs_r.R SAMPLE.csv      (date,series,count; written by bench_forecast)
#
# Members (weekly, 4 weeks ahead, 23 hub quantiles, as hb_forecast_options_init(52) plus renewal):
#   seasonal-nb  MASS::glm.nb per horizon on the same design (intercept, trend, 2 harmonic pairs,
#                log(1 + lagged count)) over the last 260 weeks, quantiles from qnbinom;
#   log-ar       lm.fit per horizon of the change in log(count + 10) on the last two changes, the
#                level and one harmonic pair, quantiles of the residuals (quantile type 7);
#   renewal      the Cori posterior of R over the last 3 weeks (EpiEstim's formula, prior mean 5,
#                sd 5) with the influenza serial interval of EpiEstim's discr_si(3.6, 1.6) summed
#                into weeks, 500 draws of R (rgamma) and of negative-binomial counts (rnbinom),
#                R held for the first week;
# and their level-wise median. The FluSight baseline (covidModels' algorithm, 500 samples) is
# timed beside them as the hubs' reference model. Prints seconds per series for each and for the
# ensemble, on one core (R is single-threaded).
suppressMessages({ library(MASS); library(EpiEstim) })
args <- commandArgs(TRUE)
d <- read.csv(args[1])
levels <- c(0.01, 0.025, seq(0.05, 0.95, by = 0.05), 0.975, 0.99)
H <- 4; P <- 365.25 / 7; ns <- 500

seasonal_nb <- function(y) {
  n <- length(y); q <- matrix(0, H, length(levels))
  design <- function(t, lag) cbind(1, (t - n) / P, cos(2 * pi * t / P), sin(2 * pi * t / P),
                                   cos(4 * pi * t / P), sin(4 * pi * t / P), log1p(lag))
  for (h in 1:H) {
    t <- max(n - 260, h):(n - 1)
    fit <- suppressWarnings(glm.nb(y[t + 1] ~ design(t, y[t - h + 1]) - 1))
    mu <- exp(sum(design(n + h - 1, y[n]) * coef(fit)))
    q[h, ] <- qnbinom(levels, size = fit$theta, mu = mu)
  }
  q
}

log_ar <- function(y) {
  n <- length(y); z <- log(y + 10); from <- max(n - 260, 0); zbar <- mean(z[(from + 1):n])
  q <- matrix(0, H, length(levels))
  reg <- function(t) cbind(1, z[t + 1] - z[t], z[t] - z[t - 1], z[t + 1] - zbar,
                           cos(2 * pi * t / P), sin(2 * pi * t / P))
  first <- max(from, 2)
  for (h in 1:H) {
    t <- first:(n - 1 - h)
    x <- reg(t); fit <- lm.fit(x, z[t + h + 1] - z[t + 1])
    e <- quantile(fit$residuals, levels, names = FALSE); m <- length(t); med <- e[12]
    centre <- z[n] + sum(reg(n - 1) * fit$coefficients)
    q[h, ] <- pmax(exp(centre + med + (e - med) * sqrt(m / (m - 6))) - 10, 0)
  }
  q
}

si_days <- discr_si(0:63, 3.6, 1.6)
si <- c(0, tapply(si_days[-1], ceiling((1:63) / 7), sum))[1:10]
renewal <- function(y) {
  n <- length(y)
  lambda <- c(0, sapply(2:n, function(t) { k <- 1:min(t - 1, 9); sum(si[k + 1] * y[t - k]) }))
  w <- (n - 2):n
  shape <- 1 + sum(y[w]); scale <- 1 / (1 / 5 + sum(lambda[w]))
  # NB size from the one-step errors over the last 104 weeks, as the C model does
  tt <- max(4, n - 103):n
  mu1 <- sapply(tt, function(t) (1 + sum(y[(t - 3):(t - 1)])) /
                  (1 / 5 + sum(lambda[(t - 3):(t - 1)])) * lambda[t])
  excess <- sum((y[tt] - mu1)^2 - mu1); size <- if (excess > 0) max(sum(mu1^2) / excess, 1e-3) else Inf
  r <- rgamma(ns, shape = shape, scale = scale)
  traj <- matrix(0, ns, H); hist <- matrix(rep(y, each = ns), ns)
  for (h in 1:H) {
    k <- 2:10; lam <- hist[, ncol(hist) - k + 2, drop = FALSE] %*% si[k]
    mean <- (if (h == 1) r else 1) * lam
    traj[, h] <- if (is.finite(size)) rnbinom(ns, size = size, mu = mean) else rpois(ns, mean)
    hist <- cbind(hist, traj[, h])
  }
  t(apply(traj, 2, quantile, probs = levels, names = FALSE))
}

baseline <- function(y) {
  n <- length(y); d1 <- diff(y); sym <- c(d1, -d1)
  changes <- quantile(sym, seq(0, 1, length.out = ns), names = FALSE)
  q <- matrix(0, H, length(levels)); raw <- y[n] + changes
  q[1, ] <- pmax(quantile(raw, levels, names = FALSE), 0)
  for (h in 2:H) {
    raw <- raw + sample(changes)
    q[h, ] <- pmax(quantile(raw - (median(raw) - y[n]), levels, names = FALSE), 0)
  }
  q
}

set.seed(1)
keys <- unique(d$series)
time_it <- function(f) {
  t0 <- proc.time()[["elapsed"]]
  out <- lapply(keys, function(k) f(d$count[d$series == k]))
  list(seconds = (proc.time()[["elapsed"]] - t0) / length(keys), q = out)
}
nb <- time_it(seasonal_nb); ar <- time_it(log_ar); rn <- time_it(renewal)
t0 <- proc.time()[["elapsed"]]
ens <- lapply(seq_along(keys), function(i)
  pmax(pmin(nb$q[[i]], ar$q[[i]]), pmin(pmax(nb$q[[i]], ar$q[[i]]), rn$q[[i]])))
comb <- (proc.time()[["elapsed"]] - t0) / length(keys)
bl <- time_it(baseline)
cat(sprintf("R %s, %d series of %d weeks, one core, seconds per series:\n",
            R.version.string, length(keys), nrow(d) / length(keys)))
cat(sprintf("  seasonal-nb (MASS::glm.nb x 4)  %.5f\n", nb$seconds))
cat(sprintf("  log-ar (lm.fit x 4)             %.5f\n", ar$seconds))
cat(sprintf("  renewal (rgamma, rnbinom)       %.5f\n", rn$seconds))
cat(sprintf("  ensemble (members + median)     %.5f\n", nb$seconds + ar$seconds + rn$seconds + comb))
cat(sprintf("  FluSight baseline               %.5f\n", bl$seconds))
cat(sprintf("R_ENSEMBLE_SECONDS_PER_SERIES %.6f\n", nb$seconds + ar$seconds + rn$seconds + comb))

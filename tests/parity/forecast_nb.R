# Parity fixtures for the seasonal negative-binomial forecaster (src/forecast/forecast_nb.c)
# against R's MASS::glm.nb and qnbinom.
#
#   Rscript tests/parity/forecast_nb.R          (from the project root; needs r-base-core)
#
# For each case (series, origin n, horizon h) the model's regression is fitted by glm.nb on the
# same design as the C code (training window: 5 years, 3 of daily data): y_t for the periods t
# (0-based) of the window that have a lag, on 1, (t - n)/P, cos and sin(2 pi j t/P) for
# j = 1..harmonics (none when the window holds less than a year), and log(1 + y_{t-h}); the
# forecast of period n + h - 1 takes the lag y_{n-1}, and its quantiles are qnbinom at the 23 hub
# levels. Writes tests/parity/forecast_nb/input.csv (series, count: the real series of
# data/series/: weekly Hong Kong influenza positives, monthly Guangdong notifications, daily Hong
# Kong COVID-19 onsets) and cases.csv (series, freq, n, h, harmonics, theta, mu, q1..q23), read by
# tests/forecast/test_forecast.c. Cases where glm.nb itself did not converge are left out. CI has
# no R, so the files are committed.
suppressMessages(library(MASS))
out <- file.path("tests", "parity", "forecast_nb")
dir.create(out, showWarnings = FALSE, recursive = TRUE)
levels <- c(0.01, 0.025, seq(0.05, 0.95, by = 0.05), 0.975, 0.99)

flu <- read.csv(file.path("data", "series", "hk_flu_weekly.csv"))
gd <- read.csv(file.path("data", "series", "gd_monthly_notifiable.csv"))
covid <- read.csv(file.path("data", "series", "hk_covid_daily_onset.csv"))
series <- list(
  list(y = flu$count[flu$subtype == "A(H1)"], freq = 52),
  list(y = flu$count[flu$subtype == "A(H3)"], freq = 52),
  list(y = flu$count[flu$subtype == "B"], freq = 52),
  list(y = gd$count[gd$disease == "measles"], freq = 12),
  list(y = gd$count[gd$disease == "hfmd"], freq = 12),
  list(y = covid$count, freq = 365))
input <- do.call(rbind, lapply(seq_along(series), function(i)
  data.frame(series = i, count = series[[i]]$y)))
write.csv(input, file.path(out, "input.csv"), row.names = FALSE, quote = FALSE)

fit_case <- function(y, freq, n, h, harmonics) {
  P <- if (freq == 365) 365.25 else if (freq == 52) 365.25 / 7 else 12
  training <- if (freq == 365) 3 * 365 else 5 * freq
  if (n - max(0, n - training) < P) harmonics <- 0 # less than a year in the window
  from <- max(max(0, n - training), h)
  design <- function(t, lag) {
    x <- cbind(1, (t - n) / P)
    for (j in seq_len(harmonics)) x <- cbind(x, cos(2 * pi * j * t / P), sin(2 * pi * j * t / P))
    cbind(x, log1p(lag))
  }
  t <- from:(n - 1)
  x <- design(t, y[t - h + 1])   # y is 1-based: y[t - h + 1] is y_{t-h}
  fit <- suppressWarnings(glm.nb(y[t + 1] ~ x - 1))
  if (!fit$converged || !is.null(fit$th.warn)) return(NULL) # R's own fit is no reference then
  mu <- exp(sum(design(n + h - 1, y[n]) * coef(fit)))
  c(theta = fit$theta, mu = mu, qnbinom(levels, size = fit$theta, mu = mu))
}

rows <- list()
for (i in seq_along(series)) {
  s <- series[[i]]
  origins <- switch(as.character(s$freq), "52" = c(100, 160, 230, 300), "12" = c(80, 120, 150),
                    "365" = c(180, 400, 600))
  for (n in origins) for (h in 1:(if (s$freq == 365) 14 else if (s$freq == 52) 4 else 3)) {
    r <- fit_case(s$y, s$freq, n, h, 2)
    if (is.null(r)) { message("skipped (glm.nb did not converge): ", i, " ", n, " ", h); next }
    rows[[length(rows) + 1]] <- c(series = i, freq = s$freq, n = n, h = h, harmonics = 2, r)
  }
}
cases <- as.data.frame(do.call(rbind, rows))
names(cases) <- c("series", "freq", "n", "h", "harmonics", "theta", "mu",
                  paste0("q", seq_along(levels)))
cases$theta <- sprintf("%.17g", cases$theta)
cases$mu <- sprintf("%.17g", cases$mu)
write.csv(cases, file.path(out, "cases.csv"), row.names = FALSE, quote = FALSE)

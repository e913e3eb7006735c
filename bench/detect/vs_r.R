# R's side of bench/detect/vs_r.sh: writes the benchmark data as healthybay's CSV input and times
# R's `surveillance` (1.20.3) on it, one method at a time, single-threaded as R is.
#
#   Rscript bench/detect/vs_r.R OUTDIR DISTRICTS
#
# Data: the DISTRICTS districts of fluBYBW with the most cases in 2001-2002 (weekly, 416 weeks,
# 2001-2008, dates from 2001-01-01) and one daily series of six years (Poisson with annual and
# weekly seasonality, the generator of tests/parity/surveillance.R, seed 20240501). Writes
# OUTDIR/flu.csv, OUTDIR/daily.csv and OUTDIR/r.csv (method,dataset,stp,seconds,alarms): stp =
# series-timepoints evaluated. glrnb runs series by series: R stops on a series whose baseline
# year has too few cases for glm.nb, and those (healthybay skips them too) are not counted.
suppressMessages({ library(surveillance); library(MASS) })
options(warn = -1)
args <- commandArgs(trailingOnly = TRUE)
out <- args[1]; nd <- as.integer(args[2])
data(fluBYBW)
early <- colSums(observed(fluBYBW)[1:104, ])
flu <- observed(fluBYBW)[, order(-early)[seq_len(nd)], drop = FALSE]
fdates <- as.Date("2001-01-01") + 7 * (seq_len(nrow(flu)) - 1)
sflu <- sts(observed = flu, epoch = as.numeric(fdates), epochAsDate = TRUE, frequency = 52)
set.seed(20240501)
n <- 6 * 365; td <- 1:n
mu <- exp(1.5 + 0.5 * sin(2 * pi * td / 365) - 0.3 * (td %% 7 %in% c(0, 6)))
yd <- rpois(n, mu); yd[n - 30 + 0:9] <- yd[n - 30 + 0:9] + rpois(10, 6)
ddates <- as.Date("2015-01-01") + 0:(n - 1)
sday <- sts(observed = matrix(yd, ncol = 1, dimnames = list(NULL, "synthetic")),
            epoch = as.numeric(ddates), epochAsDate = TRUE, frequency = 365)
long <- function(obs, dates) do.call(rbind, lapply(seq_len(ncol(obs)), function(j)
  data.frame(series = colnames(obs)[j], date = format(dates), count = obs[, j])))
write.csv(long(flu, fdates), file.path(out, "flu.csv"), row.names = FALSE, quote = FALSE)
write.csv(long(matrix(yd, ncol = 1, dimnames = list(NULL, "synthetic")), ddates),
          file.path(out, "daily.csv"), row.names = FALSE, quote = FALSE)

res <- list()
record <- function(method, dataset, stp, t, alarms) {
  res[[length(res) + 1]] <<- data.frame(method = method, dataset = dataset, stp = stp,
                                         seconds = t, alarms = alarms)
  cat(sprintf("R %-28s %-6s %7d stp %8.2f s\n", method, dataset, stp, t))
}
run <- function(method, dataset, s, fun, control) {
  t <- system.time(r <- suppressMessages(fun(s, control)))[["elapsed"]]
  record(method, dataset, length(control$range) * ncol(s), t, sum(alarms(r), na.rm = TRUE))
}
run_by_series <- function(method, dataset, s, fun, control) {
  stp <- 0; al <- 0
  t <- system.time(for (j in seq_len(ncol(s))) {
    r <- tryCatch(suppressMessages(fun(s[, j], control)), error = function(e) NULL)
    if (!is.null(r)) { stp <- stp + length(control$range); al <- al + sum(alarms(r), na.rm = TRUE) }
  })[["elapsed"]]
  record(method, dataset, stp, t, al)
}
for (d in list(list("flu", sflu, 52), list("daily", sday, 365))) {
  s <- d[[2]]; T <- nrow(s); f <- d[[3]]
  ff <- (f * 5 + 3 + 1):T
  run("farringtonFlexible", d[[1]], s, farringtonFlexible, list(range = ff, glmWarnings = FALSE))
  run("farringtonFlexible-noufaily", d[[1]], s, farringtonFlexible,
      list(range = ff, noPeriods = 10, pastWeeksNotIncluded = 26, pThresholdTrend = 1,
           thresholdMethod = "nbPlugin", glmWarnings = FALSE))
  run("earsC-C1", d[[1]], s, earsC, list(range = 8:T, method = "C1"))
  run_by_series("glrnb", d[[1]], s, glrnb, list(range = (f + 1):T, verbose = FALSE))
}
write.csv(do.call(rbind, res), file.path(out, "r.csv"), row.names = FALSE, quote = FALSE)

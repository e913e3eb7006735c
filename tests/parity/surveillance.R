# Detection fixtures: what R's `surveillance` package (1.20.3, Debian r-cran-surveillance) gives
# on real and simulated series, for every method under at least two parameter sets. The C tests
# (tests/surveil/test_parity.c, tests/cli/test_detect.sh) run healthybay on the same inputs and
# demand identical alarms and expected / upperbound within 1e-6 relative.
#
#   Rscript tests/parity/surveillance.R     (from the project root; about two minutes)
#
# Writes, in tests/parity/surveillance/:
#   input_<dataset>.csv       series,date,count[,population]   (healthybay detect's input format)
#   detect_configs.csv        config,method,options             (options: name=value;… as the CLI's
#                                                              --name value, kebab-case R names)
#   detect_<config>.csv       dataset,series,date,expected,upperbound,alarm,pvalue  (R's results;
#                             NA where R gives NA)
#   detect_errors.csv         config,dataset,series,from,message (series R stops on, and the
#                                                              range's first index: healthybay
#                                                              must fail on them too)
#
# Every series is a date-indexed sts (epochAsDate = TRUE), so R finds reference weeks by date as
# healthybay does. CI has no R, so the files are committed; rerun after upgrading surveillance and
# review the diff.
suppressMessages({ library(surveillance); library(MASS) })
stopifnot(packageVersion("surveillance") == "1.20.3")
options(warn = -1)
out <- file.path("tests", "parity", "surveillance")
dir.create(out, showWarnings = FALSE, recursive = TRUE)
num <- function(v) ifelse(is.na(v), "NA", sprintf("%.12g", v))

# ---- datasets --------------------------------------------------------------------------------
weekly_dates <- function(first, n) as.Date(first) + 7 * (0:(n - 1))
epoch_in_year <- function(d, freq) {
  if (freq == 52) as.integer(format(d, "%V")) else if (freq == 12) as.integer(format(d, "%m"))
  else as.integer(format(d, "%j"))
}
mk <- function(name, obs, dates, freq, pop = NULL) {
  obs <- as.matrix(obs)
  if (is.null(colnames(obs))) colnames(obs) <- paste0("s", seq_len(ncol(obs)))
  args <- list(observed = obs, epoch = as.numeric(dates), epochAsDate = TRUE, frequency = freq,
               start = c(as.integer(format(dates[1], "%Y")), epoch_in_year(dates[1], freq)))
  if (!is.null(pop)) args$population <- pop
  list(name = name, sts = do.call(sts, args), dates = dates, freq = freq, pop = pop)
}
data(salmNewport); data(fluBYBW); data(shadar); data(influMen); data(salmAllOnset); data(rotaBB)
sets <- list()
sn <- salmNewport[, c("Bavaria", "Berlin", "Lower.Saxony", "North.Rhine.Westphalia")]
sets$salmNewport <- mk("salmNewport", observed(sn), as.Date(sn@epoch, origin = "1970-01-01"), 52)
# The first eight districts, and 8115, whose glm.nb baseline is degenerate (fitted means at
# DBL_EPSILON): the NB GLR's Newton steps overflow there, which R's C code survives through C99
# fmax (NaN -> 0), checked by glrnb_full.
flc <- c(1:8, match("8115", colnames(fluBYBW)))
fl <- fluBYBW[, flc]
sets$fluBYBW <- mk("fluBYBW", observed(fl), weekly_dates("2001-01-01", nrow(fl)), 52,
                   pop = fluBYBW@populationFrac[, flc] * 1e7)
sets$shadar <- mk("shadar", shadar$observed, weekly_dates("2001-01-01", nrow(shadar$observed)), 52)
im <- influMen$observed; colnames(im) <- c("influenza", "meningococcus")
sets$influMen <- mk("influMen", im, weekly_dates("2001-01-01", nrow(im)), 52)
sets$salmAllOnset <- mk("salmAllOnset", observed(salmAllOnset),
                        as.Date(salmAllOnset@epoch, origin = "1970-01-01"), 52)
sets$rotaBB <- mk("rotaBB", observed(rotaBB), as.Date(rotaBB@epoch, origin = "1970-01-01"), 12)
# One daily series (6 years): Poisson with annual and weekly seasonality, an outbreak at the end.
set.seed(20240501)
nd <- 6 * 365; td <- 1:nd
mu <- exp(1.5 + 0.5 * sin(2 * pi * td / 365) - 0.3 * (td %% 7 %in% c(0, 6)))
yd <- rpois(nd, mu); yd[nd - 30 + 0:9] <- yd[nd - 30 + 0:9] + rpois(10, 6)
sets$daily <- mk("daily", matrix(yd, ncol = 1, dimnames = list(NULL, "synthetic")),
                 as.Date("2015-01-01") + 0:(nd - 1), 365)

for (d in sets) {
  obs <- observed(d$sts)
  rows <- lapply(seq_len(ncol(obs)), function(j) {
    r <- data.frame(series = colnames(obs)[j], date = format(d$dates), count = obs[, j])
    if (!is.null(d$pop)) r$population <- num(d$pop[, j])
    r
  })
  write.csv(do.call(rbind, rows), file.path(out, paste0("input_", d$name, ".csv")),
            row.names = FALSE, quote = FALSE)
}

# ---- configurations --------------------------------------------------------------------------
# last: how many time points at the end R evaluates (at most; within R's default range).
cfg <- function(name, method, control, opts, sets_used = names(sets), last = 104)
  list(name = name, method = method, control = control, opts = opts, sets = sets_used, last = last)
ff_sets <- c("salmNewport", "fluBYBW", "shadar", "influMen", "salmAllOnset", "rotaBB", "daily")
glr_sets <- c("salmNewport", "fluBYBW", "shadar", "influMen", "salmAllOnset", "daily")
configs <- list(
  cfg("earsC1", "ears-c1", list(method = "C1"), ""),
  cfg("earsC1_alt", "ears-c1", list(method = "C1", baseline = 10, minSigma = 1, alpha = 0.01),
      "baseline=10;min-sigma=1;alpha=0.01"),
  cfg("earsC2", "ears-c2", list(method = "C2"), ""),
  cfg("earsC2_alt", "ears-c2", list(method = "C2", baseline = 5, minSigma = 0.5, alpha = 0.05),
      "baseline=5;min-sigma=0.5;alpha=0.05"),
  cfg("earsC3", "ears-c3", list(method = "C3"), "c3=r"),
  cfg("earsC3_alt", "ears-c3", list(method = "C3", baseline = 12, minSigma = 1, alpha = 0.01),
      "c3=r;baseline=12;min-sigma=1;alpha=0.01"),
  cfg("ff_default", "farrington-flexible", list(), "", ff_sets, 104),
  cfg("ff_noufaily", "farrington-flexible",
      list(noPeriods = 10, pastWeeksNotIncluded = 26, pThresholdTrend = 1, thresholdMethod = "nbPlugin"),
      "no-periods=10;past-weeks-not-included=26;p-threshold-trend=1;threshold-method=nbPlugin",
      ff_sets, 104),
  cfg("ff_muan", "farrington-flexible",
      list(b = 4, noPeriods = 10, pastWeeksNotIncluded = 26, pThresholdTrend = 1,
           thresholdMethod = "muan", alpha = 0.01),
      "b=4;no-periods=10;past-weeks-not-included=26;p-threshold-trend=1;threshold-method=muan;alpha=0.01",
      ff_sets, 52),
  cfg("ff_orig", "farrington-flexible",
      list(b = 4, w = 2, weightsThreshold = 1, pastWeeksNotIncluded = 3, powertrans = "1/2",
           limit54 = c(3, 3), reweight = TRUE, trend = TRUE),
      "b=4;w=2;weights-threshold=1;past-weeks-not-included=3;power-trans=1/2;limit54=3,3",
      ff_sets, 52),
  cfg("ff_popoffset", "farrington-flexible",
      list(populationOffset = TRUE, noPeriods = 4, reweight = FALSE, powertrans = "none"),
      "population-offset=true;no-periods=4;reweight=false;power-trans=none", "fluBYBW", 52),
  cfg("farrington", "farrington", list(b = 5, w = 3), "", ff_sets, 104),
  cfg("farrington_alt", "farrington",
      list(b = 3, w = 2, alpha = 0.01, reweight = FALSE, powertrans = "none", limit54 = c(0, 4)),
      "b=3;w=2;alpha=0.01;reweight=false;power-trans=none;limit54=0,4", ff_sets, 104),
  cfg("cusum", "cusum", list(), "", glr_sets),
  cfg("cusum_alt", "cusum", list(k = 1.5, h = 3, trans = "anscombe"), "k=1.5;h=3;trans=anscombe",
      glr_sets),
  cfg("cusum_glm", "cusum", list(m = "glm", trans = "rossi"), "m=glm;trans=rossi", glr_sets),
  cfg("glrnb", "glrnb", list(), "", glr_sets, 104),
  cfg("glrnb_full", "glrnb", list(), "", "fluBYBW", 364),
  cfg("glrnb_pois_cases", "glrnb", list(alpha = 0, ret = "cases"), "alpha=0;ret=cases", glr_sets, 104),
  cfg("glrnb_nb_window", "glrnb",
      list(alpha = 0.2, M = 30, c.ARL = 4, mu0 = list(S = 2, trend = TRUE)),
      "alpha=0.2;M=30;c-arl=4;mu0-s=2;mu0-trend=true", glr_sets, 104),
  cfg("bayes", "bayes", list(), "", glr_sets),
  cfg("bayes_alt", "bayes", list(b = 1, w = 3, alpha = 0.01), "b=1;w=3;alpha=0.01", glr_sets)
)
write.csv(data.frame(config = sapply(configs, `[[`, "name"), method = sapply(configs, `[[`, "method"),
                     options = sapply(configs, `[[`, "opts")),
          file.path(out, "detect_configs.csv"), row.names = FALSE)

# ---- running R -------------------------------------------------------------------------------
default_first <- function(c, n, freq) {
  ct <- c$control
  switch(c$method,
    "ears-c1" = (if (is.null(ct$baseline)) 7 else ct$baseline) + 1,
    "ears-c2" = (if (is.null(ct$baseline)) 7 else ct$baseline) + 3,
    "ears-c3" = (if (is.null(ct$baseline)) 7 else ct$baseline) + 5,
    "farrington-flexible" = freq * (if (is.null(ct$b)) 5 else ct$b) + (if (is.null(ct$w)) 3 else ct$w) + 1,
    "farrington" = freq * ct$b - ct$w,
    "bayes" = freq * (if (is.null(ct$b)) 0 else ct$b) + (if (is.null(ct$w)) 6 else ct$w) + 1,
    freq + 1)
}
ref_mean <- function(y, t, lo, hi) mean(y[t - (hi:lo)])
bayes_mean <- function(y, t, b, w, freq) {
  base <- y[(t - w):(t - 1)]
  if (b >= 1) for (i in 1:b) base <- c(base, y[(t - i * freq - w):(t - i * freq + w)])
  (sum(base) + 0.5) / length(base)
}
range_first <- function(c, d) {
  n <- nrow(observed(d$sts))
  first <- default_first(c, n, d$freq)
  if (!is.null(c$last)) first <- max(first, n - c$last + 1)
  first
}
run_one <- function(c, d, j) {
  s1 <- d$sts[, j]; y <- as.vector(observed(s1)); n <- length(y); ct <- c$control
  first <- range_first(c, d)
  if (first > n) return(NULL)
  rng <- first:n; ct$range <- rng
  pval <- rep(NA_real_, length(rng)); expd <- rep(NA_real_, length(rng))
  if (startsWith(c$method, "ears")) {
    r <- earsC(s1, ct); B <- if (is.null(ct$baseline)) 7 else ct$baseline
    expd <- if (c$method == "ears-c1") sapply(rng, ref_mean, y = y, lo = 1, hi = B)
            else sapply(rng, ref_mean, y = y, lo = 3, hi = B + 2)
  } else if (c$method == "farrington-flexible") {
    r <- farringtonFlexible(s1, c(ct, glmWarnings = FALSE))
    expd <- r@control$expected[, 1]; pval <- r@control$pvalue[, 1]
  } else if (c$method == "farrington") {
    a <- algo.farrington(sts2disProg(s1), control = ct)
    r <- farrington(s1, ct); expd <- a$control$pd[, 2]
  } else if (c$method == "cusum") {
    r <- cusum(s1, ct); expd <- rep_len(r@control$m, length(rng))
  } else if (c$method == "glrnb") {
    r <- suppressMessages(glrnb(s1, ct)); expd <- r@control$mu0
  } else if (c$method == "bayes") {
    r <- bayes(s1, ct)
    expd <- sapply(rng, bayes_mean, y = y, b = if (is.null(ct$b)) 0 else ct$b,
                   w = if (is.null(ct$w)) 6 else ct$w, freq = d$freq)
  }
  data.frame(dataset = d$name, series = colnames(observed(d$sts))[j],
             date = format(d$dates[rng]), expected = num(expd),
             upperbound = num(upperbound(r)[, 1]), alarm = as.integer(alarms(r)[, 1]),
             pvalue = num(pval))
}
# Where R stops with an error for a series, healthybay must fail too: detect_errors.csv.
errors <- list()
t0 <- Sys.time()
for (c in configs) {
  res <- list()
  for (nm in c$sets) {
    d <- sets[[nm]]
    for (j in seq_len(ncol(d$sts))) {
      r <- tryCatch({ capture.output(x <- run_one(c, d, j)); x },
                    error = function(e) conditionMessage(e))
      if (is.character(r))
        errors[[length(errors) + 1]] <- data.frame(config = c$name, dataset = d$name,
          series = colnames(observed(d$sts))[j], from = range_first(c, d),
          message = gsub("[,\n]", " ", r))
      else res[[length(res) + 1]] <- r
    }
  }
  res <- do.call(rbind, res)
  res$alarm <- ifelse(is.na(res$alarm), "NA", res$alarm)
  write.csv(res, file.path(out, paste0("detect_", c$name, ".csv")), row.names = FALSE, quote = FALSE)
  cat(sprintf("%-18s %6d rows  %6.1f s\n", c$name, nrow(res), as.numeric(Sys.time() - t0, units = "secs")))
}
write.csv(do.call(rbind, c(list(data.frame(config = character(), dataset = character(),
                                           series = character(), from = integer(),
                                           message = character())), errors)),
          file.path(out, "detect_errors.csv"), row.names = FALSE, quote = FALSE)

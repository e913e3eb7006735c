# Parity fixtures for healthybay's Rt estimator against R's EpiEstim (Cori et al. 2013).
#
#   Rscript tests/parity/epiestim.R          (from the project root; needs r-cran-epiestim)
#
# Writes tests/parity/epiestim/: the incidence of each EpiEstim dataset (<dataset>.csv), its
# bundled serial interval (<dataset>_si.csv), one estimate_R() result per case (<case>.csv), the
# list of cases (cases.csv), discr_si values (discr_si.csv) and uncertain_si results from large
# draws (uncertain_*.csv, compared statistically: R's RNG is not ours). The C tests in
# tests/surveil/test_rt.c read these files; CI has no R, so they are committed. Rerun this script
# after upgrading EpiEstim and review the diff.
suppressMessages(library(EpiEstim))
out <- file.path("tests", "parity", "epiestim")
dir.create(out, showWarnings = FALSE, recursive = TRUE)
stopifnot(packageVersion("EpiEstim") == "2.2.4")
wcsv <- function(x, name) write.csv(x, file.path(out, name), row.names = FALSE, na = "NA")

datasets <- list()
add_dataset <- function(name, incid, si = NULL) {
  if (is.data.frame(incid) && all(c("local", "imported") %in% names(incid))) {
    d <- data.frame(local = incid$local, imported = incid$imported)
  } else {
    v <- if (is.data.frame(incid)) incid$I else incid
    d <- data.frame(local = v, imported = 0)
  }
  wcsv(d, paste0(name, ".csv"))
  if (!is.null(si)) wcsv(data.frame(day = seq_along(si) - 1, probability = si), paste0(name, "_si.csv"))
  datasets[[name]] <<- incid
}
data(SARS2003); data(Flu2009); data(Flu1918); data(Measles1861); data(Smallpox1972); data(mers_2014_15)
add_dataset("SARS2003", SARS2003$incidence, SARS2003$si_distr)
add_dataset("Flu2009", Flu2009$incidence, Flu2009$si_distr)
add_dataset("Flu1918", Flu1918$incidence, Flu1918$si_distr)
add_dataset("Measles1861", Measles1861$incidence, Measles1861$si_distr)
add_dataset("Smallpox1972", Smallpox1972$incidence, Smallpox1972$si_distr)
add_dataset("mers_2014_15", mers_2014_15$incidence[, c("local", "imported")])

# case, dataset, method, mean_si, std_si, window, mean_prior, std_prior
cases <- read.csv(text = "
case,dataset,method,mean_si,std_si,window,mean_prior,std_prior
sars_nonparam,SARS2003,non_parametric_si,NA,NA,7,5,5
sars_param,SARS2003,parametric_si,8.4,3.8,7,5,5
sars_param_w14,SARS2003,parametric_si,8.4,3.8,14,5,5
sars_param_w1,SARS2003,parametric_si,8.4,3.8,1,5,5
sars_param_prior,SARS2003,parametric_si,8.4,3.8,7,2,1
flu2009_nonparam,Flu2009,non_parametric_si,NA,NA,7,5,5
flu2009_param,Flu2009,parametric_si,2.6,1.5,7,5,5
flu1918_nonparam,Flu1918,non_parametric_si,NA,NA,7,5,5
flu1918_param,Flu1918,parametric_si,2.6,1.5,7,5,5
measles_nonparam,Measles1861,non_parametric_si,NA,NA,7,5,5
measles_param,Measles1861,parametric_si,14.9,3.9,7,5,5
smallpox_nonparam,Smallpox1972,non_parametric_si,NA,NA,7,5,5
smallpox_param,Smallpox1972,parametric_si,22.4,6.1,7,5,5
mers_param,mers_2014_15,parametric_si,6.8,4.1,7,5,5
mers_param_w28,mers_2014_15,parametric_si,6.8,4.1,28,1,2
", strip.white = TRUE)
wcsv(cases, "cases.csv")

sis <- list(SARS2003 = SARS2003$si_distr, Flu2009 = Flu2009$si_distr, Flu1918 = Flu1918$si_distr,
            Measles1861 = Measles1861$si_distr, Smallpox1972 = Smallpox1972$si_distr)
tidy <- function(R) {
  names(R) <- c("t_start", "t_end", "mean", "sd", "q025", "q05", "q25", "median", "q75", "q95", "q975")
  R
}
for (i in seq_len(nrow(cases))) {
  cs <- cases[i, ]
  incid <- datasets[[cs$dataset]]
  T <- if (is.data.frame(incid)) nrow(incid) else length(incid)
  t_start <- seq(2, T - cs$window + 1)
  cfg <- list(t_start = t_start, t_end = t_start + cs$window - 1,
              mean_prior = cs$mean_prior, std_prior = cs$std_prior)
  if (cs$method == "parametric_si") {
    cfg$mean_si <- cs$mean_si; cfg$std_si <- cs$std_si
  } else {
    cfg$si_distr <- sis[[cs$dataset]]
  }
  res <- suppressWarnings(estimate_R(incid, method = cs$method, config = make_config(cfg)))
  wcsv(tidy(res$R), paste0(cs$case, ".csv"))
}

grid <- expand.grid(k = 0:40, mean = c(1.5, 2.6, 6.8, 8.4, 14.9, 22.4), sd = c(0.5, 1.5, 3.8, 6.1))
grid$value <- mapply(function(k, m, s) discr_si(k, m, s), grid$k, grid$mean, grid$sd)
wcsv(grid, "discr_si.csv")

# uncertain_si: many draws so that Monte Carlo error is far below the test tolerance.
unc <- list(
  uncertain_flu2009 = list(dataset = "Flu2009", mean_si = 2.6, std_mean_si = 1, min_mean_si = 1,
                           max_mean_si = 4.2, std_si = 1.5, std_std_si = 0.5, min_std_si = 0.5,
                           max_std_si = 2.5),
  uncertain_sars = list(dataset = "SARS2003", mean_si = 8.4, std_mean_si = 1, min_mean_si = 6,
                        max_mean_si = 10.5, std_si = 3.8, std_std_si = 0.5, min_std_si = 2.8,
                        max_std_si = 4.8))
for (nm in names(unc)) {
  u <- unc[[nm]]
  incid <- datasets[[u$dataset]]
  T <- if (is.data.frame(incid)) nrow(incid) else length(incid)
  cfg <- u[-1]; cfg$n1 <- 2000; cfg$n2 <- 200; cfg$seed <- 20030301
  cfg$t_start <- seq(2, T - 6); cfg$t_end <- cfg$t_start + 6
  res <- suppressWarnings(estimate_R(incid, method = "uncertain_si", config = make_config(cfg)))
  wcsv(tidy(res$R), paste0(nm, ".csv"))
  wcsv(as.data.frame(u), paste0(nm, "_config.csv"))
}
cat("wrote", length(list.files(out)), "files to", out, "\n")

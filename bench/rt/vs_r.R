# The reference side of bench/rt/run.sh: EpiEstim's estimate_R on every series of the benchmark
# file, with the options healthybay rt was given (parametric_si, default weekly sliding windows,
# prior mean 5 and sd 5), timed in one process on one core; the estimates are written for the
# comparison that run.sh makes.
#
#   Rscript bench/rt/vs_r.R SERIES.csv MEAN_SI SD_SI OUT.csv
suppressMessages(library(EpiEstim))
args <- commandArgs(TRUE)
d <- read.csv(args[1])
config <- suppressMessages(make_config(list(mean_si = as.numeric(args[2]),
                                            std_si = as.numeric(args[3]))))
keys <- unique(d$region)
t0 <- proc.time()[["elapsed"]]
res <- lapply(keys, function(k) suppressWarnings(suppressMessages(
  estimate_R(d$count[d$region == k], method = "parametric_si", config = config)$R)))
seconds <- proc.time()[["elapsed"]] - t0
out <- do.call(rbind, lapply(seq_along(keys), function(i)
  data.frame(region = keys[i], t_end = res[[i]]$t_end, mean = res[[i]]$`Mean(R)`,
             q975 = res[[i]]$`Quantile.0.975(R)`)))
write.csv(out, args[4], row.names = FALSE, quote = FALSE)
cat(sprintf("EpiEstim %s estimate_R: %d series, %.2f s (%.2f ms per series)\n",
            packageVersion("EpiEstim"), length(keys), seconds, 1000 * seconds / length(keys)))
cat(sprintf("R_SECONDS %.4f\n", seconds))

# Reference weighted interval scores for tests/forecast/test_score.c, computed in R with the
# INTERVAL form of Bracher et al. (2021) — an independent formulation of what src/surveil/score.c
# computes with pinball losses:
#
#   WIS = 1/(K + 1/2) * (1/2 |y - m| + sum_k alpha_k/2 * IS_alpha_k),
#   IS_alpha = (u - l) + 2/alpha (l - y) 1(y < l) + 2/alpha (y - u) 1(y > u)
#
# scoringutils is not packaged for Debian; this is its definition (wis(), weigh = TRUE).
#   Rscript tests/parity/wis.R      (from the project root)
set.seed(20210219)
levels <- c(0.01, 0.025, seq(0.05, 0.95, by = 0.05), 0.975, 0.99)
alphas <- c(0.02, 0.05, seq(0.1, 0.9, by = 0.1))
K <- length(alphas)
interval_score <- function(l, u, y, a) (u - l) + 2 / a * (l - y) * (y < l) + 2 / a * (y - u) * (y > u)
wis <- function(q, y) {
  m <- q[abs(levels - 0.5) < 1e-9]
  s <- 0.5 * abs(y - m)
  for (a in alphas) {
    l <- q[abs(levels - a / 2) < 1e-9]; u <- q[abs(levels - (1 - a / 2)) < 1e-9]
    s <- s + a / 2 * interval_score(l, u, y, a)
  }
  s / (K + 0.5)
}
rows <- list()
for (i in 1:200) {
  mu <- exp(runif(1, 0, 8)); size <- runif(1, 0.5, 50)
  q <- qnbinom(levels, size = size, mu = mu)
  q <- q + seq_along(q) * 1e-3 * mu * runif(1)      # break ties so levels differ
  y <- if (i %% 4 == 0) rnbinom(1, size = size, mu = 3 * mu) else rnbinom(1, size = size, mu = mu)
  rows[[i]] <- c(case = i, observed = y, setNames(q, sprintf("q%g", levels)), wis = wis(q, y),
                 cover50 = as.numeric(q[7] <= y && y <= q[17]),
                 cover95 = as.numeric(q[2] <= y && y <= q[22]))
}
out <- as.data.frame(do.call(rbind, rows))
write.csv(out, file.path("tests", "parity", "wis", "wis_cases.csv"), row.names = FALSE)
cat("wrote", nrow(out), "cases\n")

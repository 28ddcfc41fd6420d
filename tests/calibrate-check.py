# SPDX-License-Identifier: GPL-3.0-or-later
"""An independent check that `reskill calibrate` reaches the maximum.

For each case: simulate answers (numpy, fixed seed, printed), run
`reskill calibrate --responses`, then, written here from the definitions
in app/core/rs-calibrate.h and not from its C code:

1. compute the marginal log-likelihood at the answer on the same grid
   (41 equally spaced points on [-6, 6], weights proportional to the
   N(0, 1) density, normalized), which must equal the printed loglik;
2. start scipy.optimize (L-BFGS-B) from the answer on the same objective
   (log-likelihood + log N(ln a; 0, 0.5^2) density + log Beta(c; 5, 17)
   density for an estimated c) and require that it finds no value higher
   than the answer's by more than 0.01 (EM stops when no parameter moves
   more than 1e-4 in a cycle).

One case holds some items as anchors (--anchors) on a population that has
moved: there the latent mean and SD are estimated too, and scipy optimizes
them with the free items (weights proportional to the N(mean, sd^2) density
on the same grid).

Usage: calibrate-check.py RESKILL_BIN        (TAP on stdout)
"""
import csv
import os
import subprocess
import sys
import tempfile

import numpy as np
from scipy.optimize import minimize
from scipy.special import logsumexp
from scipy.stats import beta as beta_dist
from scipy.stats import norm

NODES = np.linspace(-6.0, 6.0, 41)
LOG_W = norm.logpdf(NODES) - logsumexp(norm.logpdf(NODES))
A_PRIOR = (0.0, 0.5)
C_PRIOR = (5.0, 17.0)
TOLERANCE = 0.01
P_FLOOR = 1e-12


def simulate(rng, n_items, n_persons, model, keep, m=1, shift=0.0):
    a = rng.uniform(0.7, 2.0, n_items)
    theta = rng.standard_normal(n_persons) + shift
    if model == "gpcm":
        loc = rng.uniform(-1.0, 1.0, n_items)
        steps = loc[:, None] + (np.arange(m) - (m - 1) / 2.0)[None, :] * 0.9
        probs = gpcm_probs(a, steps, theta)          # persons x items x (m+1)
        u = rng.uniform(size=(n_persons, n_items))
        scores = (u[:, :, None] > np.cumsum(probs, axis=2)[:, :, :-1]).sum(axis=2)
    else:
        b = rng.uniform(-2.0, 2.0, n_items)
        c = rng.uniform(0.15, 0.3, n_items) if model == "3pl" else np.zeros(n_items)
        p = c + (1 - c) / (1 + np.exp(-a * (theta[:, None] - b)))
        scores = (rng.uniform(size=p.shape) < p).astype(int)
    mask = rng.uniform(size=scores.shape) < keep
    mask[mask.sum(axis=1) == 0, 0] = True              # everyone answers something
    return np.where(mask, scores, -1)


def gpcm_probs(a, steps, theta):
    # z_k = sum_{v<=k} a (theta - b_v), z_0 = 0
    inc = a[None, :, None] * (theta[:, None, None] - steps[None, :, :])
    z = np.concatenate([np.zeros(inc.shape[:2] + (1,)), np.cumsum(inc, axis=2)], axis=2)
    z -= z.max(axis=2, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=2, keepdims=True)


def category_logp(model, params, m):
    """log P(score k | node) for each item: list of (K x Q) arrays."""
    out = []
    for p in params:
        if model == "gpcm":
            probs = gpcm_probs(np.array([p["a"]]), np.array([p["steps"]]), NODES)[:, 0, :].T
            out.append(np.log(np.maximum(probs, P_FLOOR)))
        else:
            p1 = p["c"] + (1 - p["c"]) / (1 + np.exp(-p["a"] * (NODES - p["b"])))
            p1 = np.clip(p1, P_FLOOR, 1 - P_FLOOR)
            out.append(np.log(np.vstack([1 - p1, p1])))
    return out


def log_weights(mean=0.0, sd=1.0):
    lw = norm.logpdf(NODES, mean, sd)
    return lw - logsumexp(lw)


def loglik(model, params, scores, m, mean=0.0, sd=1.0):
    logp = category_logp(model, params, m)
    ll_nodes = np.zeros((scores.shape[0], NODES.size))
    for j, lp in enumerate(logp):
        col = scores[:, j]
        seen = col >= 0
        ll_nodes[seen] += lp[col[seen]].reshape(-1, NODES.size)
    return logsumexp(ll_nodes + log_weights(mean, sd)[None, :], axis=1).sum()


def log_prior(model, params, estimate_c):
    lp = 0.0
    for p in params:
        lp += norm.logpdf(np.log(p["a"]), A_PRIOR[0], A_PRIOR[1])
        if estimate_c:
            lp += beta_dist.logpdf(p["c"], C_PRIOR[0], C_PRIOR[1])
    return lp


def to_vector(model, params, estimate_c):
    v = []
    for p in params:
        v.append(np.log(p["a"]))
        if model == "gpcm":
            v.extend(p["steps"])
        else:
            v.append(p["b"])
            if estimate_c:
                v.append(np.log(p["c"] / (1 - p["c"])))
    return np.array(v)


def from_vector(model, v, template, estimate_c):
    params, i = [], 0
    for t in template:
        p = dict(t)
        p["a"] = np.exp(v[i]); i += 1
        if model == "gpcm":
            p["steps"] = list(v[i:i + len(t["steps"])]); i += len(t["steps"])
        else:
            p["b"] = v[i]; i += 1
            if estimate_c:
                p["c"] = 1 / (1 + np.exp(-v[i])); i += 1
        params.append(p)
    return params


def read_params(path, model):
    params = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            if model == "gpcm":
                params[row["id"]] = {"a": float(row["a"]), "steps": [float(x) for x in row["b"].split(";")]}
            else:
                params[row["id"]] = {"a": float(row["a"]), "b": float(row["b"]), "c": float(row["c"])}
    return params


def run_case(binary, number, name, seed, n_items, n_persons, model, keep, m=1, n_anchors=0, shift=0.0):
    rng = np.random.default_rng(seed)
    scores = simulate(rng, n_items, n_persons, model, keep, m, shift)
    estimate_c = model == "3pl"
    anchors = {}
    with tempfile.TemporaryDirectory() as tmp:
        long_csv = os.path.join(tmp, "long.csv")
        out_csv = os.path.join(tmp, "params.csv")
        with open(long_csv, "w") as f:
            f.write("person,item_id,score\n")
            for i in range(n_persons):
                for j in range(n_items):
                    if scores[i, j] >= 0:
                        f.write(f"p{i},i{j:02d},{scores[i, j]}\n")
        command = [binary, "calibrate", "--responses", long_csv, "--model", model, "--out", out_csv]
        if n_anchors:
            # The anchors: what a first calibration of the same items said.
            first = subprocess.run(command, capture_output=True, text=True)
            if first.returncode != 0:
                print(f"not ok {number} - {name}: reskill calibrate failed: {first.stderr.strip()}")
                return False
            anchor_csv = os.path.join(tmp, "anchors.csv")
            with open(out_csv) as src, open(anchor_csv, "w") as dst:
                lines = src.read().splitlines()
                dst.write("\n".join(lines[:1 + n_anchors]) + "\n")
            anchors = read_params(anchor_csv, model)
            command += ["--anchors", anchor_csv]
        run = subprocess.run(command, capture_output=True, text=True)
        if run.returncode != 0:
            print(f"not ok {number} - {name}: reskill calibrate failed: {run.stderr.strip()}")
            return False
        last = run.stdout.strip().splitlines()[-1]
        fields = dict(part.split("=") for part in last.split())
        c_loglik = float(fields["loglik"])
        by_id = read_params(out_csv, model)
        mean, sd = 0.0, 1.0
        for line in run.stdout.splitlines():
            if line.startswith("latent distribution: mean "):
                words = line.split()
                mean, sd = float(words[3]), float(words[7].rstrip(","))
    ids = [f"i{j:02d}" for j in range(n_items)]
    params = [by_id[i] for i in ids]
    free = [j for j, i in enumerate(ids) if i not in anchors]
    for i in anchors:
        if any(abs(by_id[i][k] - anchors[i][k]) > 0 for k in ("a", "b")):
            print(f"not ok {number} - {name}: anchor {i} moved")
            return False

    py_loglik = loglik(model, params, scores, m, mean, sd)
    f_em = py_loglik + log_prior(model, [params[j] for j in free], estimate_c)

    def unpack(v):
        p = list(params)
        moved = from_vector(model, v[:len(v) - (2 if anchors else 0)], [params[j] for j in free], estimate_c)
        for j, q in zip(free, moved):
            p[j] = q
        return p, (v[-2], np.exp(v[-1])) if anchors else (0.0, 1.0)

    def objective(v):
        p, (mu, sigma) = unpack(v)
        return -(loglik(model, p, scores, m, mu, sigma) + log_prior(model, [p[j] for j in free], estimate_c))

    x0 = to_vector(model, [params[j] for j in free], estimate_c)
    if anchors:
        x0 = np.concatenate([x0, [mean, np.log(sd)]])
    best = minimize(objective, x0, method="L-BFGS-B", options={"maxiter": 500, "ftol": 1e-13, "gtol": 1e-8})
    f_best = max(-best.fun, f_em)
    gain = f_best - f_em
    same_loglik = abs(py_loglik - c_loglik) <= 1e-6 * abs(py_loglik) + 1e-3
    ok = same_loglik and gain <= TOLERANCE
    print(f"# {name}: seed {seed}, {n_items} items x {n_persons} people, {int((scores >= 0).sum())} answers, "
          f"{fields['iterations']} EM iterations" + (f", {n_anchors} anchors, latent N({mean:.4f}, {sd:.4f}^2)"
                                                      if anchors else ""))
    print(f"#   loglik printed by reskill {c_loglik:.4f}, computed here {py_loglik:.4f}")
    print(f"#   objective at the EM answer {f_em:.6f}; best scipy found from there {f_best:.6f} "
          f"(gain {gain:.2e}, allowed {TOLERANCE}); scipy: {best.message}")
    print(f"{'ok' if ok else 'not ok'} {number} - {name}")
    return ok


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("RESKILL_BIN", "reskill")
    cases = [
        ("2pl complete", 11, 10, 500, "2pl", 1.0),
        ("2pl sparse", 12, 16, 800, "2pl", 0.4),
        ("3pl, c under Beta(5,17)", 13, 10, 800, "3pl", 1.0),
        ("gpcm 0..2 sparse", 14, 8, 600, "gpcm", 0.6, 2),
        ("gpcm 0..3 complete", 15, 6, 500, "gpcm", 1.0, 3),
        ("2pl, 5 anchors held, latent mean and SD estimated", 16, 12, 700, "2pl", 0.7, 1, 5, 0.5),
    ]
    print(f"1..{len(cases)}")
    failed = 0
    for number, case in enumerate(cases, 1):
        failed += not run_case(binary, number, *case)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

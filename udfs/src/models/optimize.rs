//! Maximum likelihood for the models: L-BFGS (argmin) on the logarithms of the parameters,
//! which keeps every parameter positive without bounds and puts parameters of very different
//! scales (a rate of 0.2, a scale of 15 in currency) on an equal footing.
//!
//! The line search is More-Thuente's. It makes about eleven likelihood evaluations per
//! iteration on large fits. argmin's backtracking search needs two, but it runs without an
//! iteration limit and did not return on the exponential test below. A bounded line search
//! is the next speed-up.
//!
//! The objective is the mean negative log-likelihood per customer, so the gradient tolerance
//! means the same for a hundred customers as for a million. argmin asks for the cost and the
//! gradient separately, at the same point; one evaluation computes both and is cached.

use std::sync::Mutex;

use argmin::core::{
    CostFunction, Error, Executor, Gradient, State, TerminationReason, TerminationStatus,
};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::LBFGS;

/// Stop when the gradient of the mean negative log-likelihood (in log parameters) is smaller.
const GRADIENT_TOLERANCE: f64 = 1e-10;
/// A fit has converged when no component of the mean log-likelihood's gradient (in log
/// parameters) exceeds this.
const CONVERGED_GRADIENT: f64 = 1e-6;
/// A fit not converged after this many iterations reports `converged = false`.
const MAX_ITERATIONS: u64 = 1_000;
/// Vectors L-BFGS keeps for its Hessian approximation (there are 3 or 4 parameters).
const HISTORY: usize = 8;

/// A log-likelihood over positive parameters.
pub trait Likelihood: Sync {
    /// The log-likelihood at `params` and its gradient with respect to them; `None` when it
    /// is not finite there.
    fn evaluate(&self, params: &[f64]) -> Option<(f64, Vec<f64>)>;
    /// The number of customers it sums over (the mean is what is minimised).
    fn customers(&self) -> f64;
}

/// The outcome of [`maximize`].
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    pub params: Vec<f64>,
    pub log_likelihood: f64,
    /// Whether the fit ended at a stationary point (see [`CONVERGED_GRADIENT`]) before the
    /// iteration cap.
    pub converged: bool,
    pub iterations: u64,
}

/// The maximum-likelihood parameters, starting from `start` (all positive).
pub fn maximize(likelihood: &impl Likelihood, start: &[f64]) -> Result<Fit, String> {
    let problem = LogProblem {
        likelihood,
        cache: Mutex::new(None),
    };
    let log_start: Vec<f64> = start.iter().map(|p| p.ln()).collect();
    problem
        .evaluate(&log_start)
        .map_err(|e| format!("the likelihood is not finite at the starting values: {e}"))?;
    let solver = LBFGS::new(MoreThuenteLineSearch::new(), HISTORY)
        .with_tolerance_grad(GRADIENT_TOLERANCE)
        .and_then(|s| s.with_tolerance_cost(0.0))
        .map_err(|e| e.to_string())?;
    let result = Executor::new(problem, solver)
        .configure(|state| state.param(log_start).max_iters(MAX_ITERATIONS))
        .run()
        .map_err(|e| format!("the optimiser failed: {e}"))?;
    let state = result.state();
    let log_params = state
        .get_best_param()
        .ok_or("the optimiser returned no parameters")?;
    let params: Vec<f64> = log_params.iter().map(|p| p.exp()).collect();
    let (log_likelihood, gradient) = likelihood
        .evaluate(&params)
        .ok_or("the likelihood is not finite at the optimum")?;
    // Converged means a stationary point: argmin also stops when the line search can make no
    // more progress, which at the optimum is the normal end, not a failure.
    let n = likelihood.customers();
    let stationary = gradient
        .iter()
        .zip(&params)
        .all(|(g, p)| (g * p / n).abs() <= CONVERGED_GRADIENT);
    let converged = stationary
        && !matches!(
            state.get_termination_status(),
            TerminationStatus::Terminated(TerminationReason::MaxItersReached)
        );
    Ok(Fit {
        params,
        log_likelihood,
        converged,
        iterations: state.get_iter(),
    })
}

/// A point (log parameters), the cost there and its gradient.
type Evaluated = (Vec<f64>, f64, Vec<f64>);

/// −(mean log-likelihood) as a function of the logarithms of the parameters.
struct LogProblem<'a, L> {
    likelihood: &'a L,
    /// The last point evaluated, with its cost and gradient.
    cache: Mutex<Option<Evaluated>>,
}

impl<L: Likelihood> LogProblem<'_, L> {
    fn evaluate(&self, log_params: &[f64]) -> Result<(f64, Vec<f64>), Error> {
        let mut cache = self.cache.lock().map_err(|e| Error::msg(e.to_string()))?;
        if let Some((at, cost, gradient)) = cache.as_ref()
            && at.as_slice() == log_params
        {
            return Ok((*cost, gradient.clone()));
        }
        let params: Vec<f64> = log_params.iter().map(|p| p.exp()).collect();
        let n = self.likelihood.customers();
        let (cost, gradient) = match self.likelihood.evaluate(&params) {
            Some((ll, gradient)) => {
                // d/d(ln p) = p · d/dp.
                let gradient: Vec<f64> = gradient
                    .iter()
                    .zip(&params)
                    .map(|(g, p)| -g * p / n)
                    .collect();
                (-ll / n, gradient)
            }
            // Outside the region where the likelihood is finite: a wall the line search
            // backs away from.
            None => (f64::INFINITY, vec![0.0; params.len()]),
        };
        *cache = Some((log_params.to_vec(), cost, gradient.clone()));
        Ok((cost, gradient))
    }
}

impl<L: Likelihood> CostFunction for LogProblem<'_, L> {
    type Param = Vec<f64>;
    type Output = f64;

    fn cost(&self, log_params: &Self::Param) -> Result<f64, Error> {
        Ok(self.evaluate(log_params)?.0)
    }
}

impl<L: Likelihood> Gradient for LogProblem<'_, L> {
    type Param = Vec<f64>;
    type Gradient = Vec<f64>;

    fn gradient(&self, log_params: &Self::Param) -> Result<Vec<f64>, Error> {
        Ok(self.evaluate(log_params)?.1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The log-likelihood of an exponential sample with rate λ: n ln λ − λ Σt, maximal at
    /// λ = n / Σt.
    struct Exponential {
        n: f64,
        total: f64,
    }

    impl Likelihood for Exponential {
        fn evaluate(&self, params: &[f64]) -> Option<(f64, Vec<f64>)> {
            let rate = params[0];
            Some((
                self.n * rate.ln() - rate * self.total,
                vec![self.n / rate - self.total],
            ))
        }
        fn customers(&self) -> f64 {
            self.n
        }
    }

    #[test]
    fn finds_the_maximum() {
        let sample = Exponential {
            n: 1000.0,
            total: 250.0,
        };
        let fit = maximize(&sample, &[0.01]).unwrap();
        assert!(fit.converged);
        assert!((fit.params[0] - 4.0).abs() < 1e-8, "{fit:?}");
        let best = 1000.0 * 4f64.ln() - 1000.0;
        assert!((fit.log_likelihood - best).abs() < 1e-9);
    }
}

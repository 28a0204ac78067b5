//! Derived indicators (chỉ tiêu tính từ chỉ tiêu khác): formulas over other indicators' codes (`luot_cbcc + luot_dan`,
//! `hoan_thanh_bdhvs / dang_ky_bdhvs * 100`), parsed by exmex and evaluated on exact
//! decimals. A missing operand or a division by zero gives no value, shown as `-`,
//! never `NaN` or a panic; a result beyond what a decimal holds is an [`Overflow`],
//! never a wrapped or rounded number.

use std::str::FromStr;

use exmex::{ops_factory, BinOp, Express, FlatEx, MakeOperators, Operator};
use rust_decimal::Decimal;

/// What a formula computes on: a number, no value, or a result too large to hold.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub enum Value {
    #[default]
    Missing,
    Number(Decimal),
    Overflow,
}

/// A formula's result left exact decimal arithmetic (beyond ±7.9 × 10^28).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overflow;

impl FromStr for Value {
    type Err = rust_decimal::Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Decimal::from_str(s).map(Value::Number)
    }
}

/// `f` on two numbers: an overflow wins over a missing value, which wins over a number;
/// `f` answering `None` is an overflow (a division by zero is caught before it).
fn both(a: Value, b: Value, f: impl Fn(Decimal, Decimal) -> Option<Decimal>) -> Value {
    match (a, b) {
        (Value::Overflow, _) | (_, Value::Overflow) => Value::Overflow,
        (Value::Number(a), Value::Number(b)) => f(a, b).map_or(Value::Overflow, Value::Number),
        _ => Value::Missing,
    }
}

fn negate(a: Value) -> Value {
    match a {
        Value::Number(x) => Value::Number(-x),
        other => other,
    }
}

fn divide(a: Value, b: Value) -> Value {
    match b {
        Value::Number(d) if d.is_zero() => match a {
            Value::Overflow => Value::Overflow,
            _ => Value::Missing,
        },
        _ => both(a, b, Decimal::checked_div),
    }
}

ops_factory!(
    DecimalOps,
    Value,
    Operator::make_bin_unary(
        "-",
        BinOp {
            apply: |a, b| both(a, b, Decimal::checked_sub),
            prio: 0,
            is_commutative: false,
        },
        negate,
    ),
    Operator::make_bin(
        "+",
        BinOp {
            apply: |a, b| both(a, b, Decimal::checked_add),
            prio: 0,
            is_commutative: true,
        }
    ),
    Operator::make_bin(
        "*",
        BinOp {
            apply: |a, b| both(a, b, Decimal::checked_mul),
            prio: 1,
            is_commutative: true,
        }
    ),
    Operator::make_bin(
        "/",
        BinOp {
            // A zero divisor gives no value, not an overflow.
            apply: divide,
            prio: 1,
            is_commutative: false,
        }
    )
);

/// Why a formula cannot be compiled.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormulaError {
    /// The expression reader's own words.
    #[error("cannot be read ({0}); write e.g. `a + b` or `a / b * 100`")]
    Unreadable(String),
    #[error("`{0}` is not the code of an indicator declared before it")]
    UnknownName(String),
}

impl FormulaError {
    /// The reason in `lang`.
    pub fn message(&self, lang: crate::diagnostic::Lang) -> String {
        match (self, lang) {
            (_, crate::diagnostic::Lang::En) => self.to_string(),
            (FormulaError::Unreadable(detail), _) => {
                format!("không đọc được ({detail}); viết chẳng hạn `a + b` hoặc `a / b * 100`")
            }
            (FormulaError::UnknownName(name), _) => {
                format!("`{name}` không phải mã của một chỉ tiêu khai báo trước nó")
            }
        }
    }
}

/// A parsed formula and the indicator codes it reads, in the order `eval` takes them.
#[derive(Debug, Clone)]
pub struct Formula {
    expr: FlatEx<Value, DecimalOps>,
    /// It divides: a ratio (a share, a rate), whose group and commune values are taken
    /// like for like.
    divides: bool,
}

impl Formula {
    /// Parses `text`; every name in it must be one of the `known` indicator codes.
    pub fn parse(text: &str, known: &[&str]) -> Result<Formula, FormulaError> {
        let expr = FlatEx::<Value, DecimalOps>::parse(text)
            .map_err(|e| FormulaError::Unreadable(e.to_string()))?;
        if let Some(name) = expr
            .var_names()
            .iter()
            .find(|n| !known.contains(&n.as_str()))
        {
            return Err(FormulaError::UnknownName(name.clone()));
        }
        Ok(Formula {
            expr,
            divides: text.contains('/'),
        })
    }

    /// The indicator codes it reads.
    pub fn reads(&self) -> Vec<&str> {
        self.expr.var_names().iter().map(String::as_str).collect()
    }

    /// Whether it divides (a share or a rate, not a sum of parts).
    pub fn is_ratio(&self) -> bool {
        self.divides
    }

    /// The value for the given values of the indicators it reads: `None` where an
    /// operand is missing or a divisor is zero, an [`Overflow`] where the result does
    /// not fit.
    pub fn eval(
        &self,
        value_of: impl Fn(&str) -> Option<Decimal>,
    ) -> Result<Option<Decimal>, Overflow> {
        let vars: Vec<Value> = self
            .expr
            .var_names()
            .iter()
            .map(|n| value_of(n).map_or(Value::Missing, Value::Number))
            .collect();
        match self.expr.eval(&vars) {
            Ok(Value::Number(x)) => Ok(Some(x)),
            Ok(Value::Overflow) => Err(Overflow),
            Ok(Value::Missing) | Err(_) => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn formulas_compute_exactly() {
        let known = ["a", "b", "c"];
        let vals = |n: &str| match n {
            "a" => Some(d("0.1")),
            "b" => Some(d("0.2")),
            "c" => Some(d("3")),
            _ => None,
        };
        let f = |t: &str| Formula::parse(t, &known).unwrap().eval(vals).unwrap();
        assert_eq!(f("a + b"), Some(d("0.3")), "exact, not 0.30000000000000004");
        assert_eq!(f("(a + b) * c"), Some(d("0.9")));
        assert_eq!(f("a + b * c"), Some(d("0.7")), "precedence");
        assert_eq!(f("c - a - b"), Some(d("2.7")), "left to right");
        assert_eq!(f("-a + c"), Some(d("2.9")));
        assert_eq!(f("b / c * 100"), Some(d("0.2") / d("3") * d("100")));
    }

    #[test]
    fn division_by_zero_and_missing_values_give_no_value() {
        let known = ["a", "b"];
        let zero = |n: &str| Some(if n == "b" { Decimal::ZERO } else { d("5") });
        assert_eq!(
            Formula::parse("a / b", &known).unwrap().eval(zero),
            Ok(None)
        );
        let missing = |n: &str| (n == "a").then(|| d("5"));
        assert_eq!(
            Formula::parse("a + b", &known).unwrap().eval(missing),
            Ok(None)
        );
    }

    #[test]
    fn a_result_too_large_for_a_decimal_is_an_overflow_not_a_number() {
        let known = ["a", "b"];
        let huge = |_: &str| Some(d("50000000000000000000000000000"));
        for f in ["a + b", "a * b", "a - -b", "a / 0.1"] {
            let got = Formula::parse(f, &known).unwrap().eval(huge);
            assert_eq!(got, Err(Overflow), "{f}");
        }
        // An overflow stays one through a missing value or a zero divisor.
        let some = |n: &str| (n == "a").then(|| d("50000000000000000000000000000"));
        let f = Formula::parse("(a * a) / 0 + b", &known).unwrap();
        assert_eq!(f.eval(some), Err(Overflow));
    }

    #[test]
    fn unknown_names_and_bad_syntax_are_refused() {
        let known = ["a"];
        assert_eq!(
            Formula::parse("a + zalo", &known).unwrap_err(),
            FormulaError::UnknownName("zalo".into())
        );
        assert!(Formula::parse("a +* (", &known).is_err());
    }
}

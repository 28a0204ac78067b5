//! Derived indicators: formulas over other indicators' codes (`luot_cbcc + luot_dan`,
//! `hoan_thanh_bdhvs / dang_ky_bdhvs * 100`), parsed by exmex and evaluated on exact
//! decimals. A missing operand or a division by zero gives no value, shown as `-`,
//! never `NaN` or a panic.

use std::str::FromStr;

use exmex::{ops_factory, BinOp, Express, FlatEx, MakeOperators, Operator};
use rust_decimal::Decimal;

use crate::project::Indicator;

/// A number or no value: what a formula computes on.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Value(pub Option<Decimal>);

impl FromStr for Value {
    type Err = rust_decimal::Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Decimal::from_str(s).map(|d| Value(Some(d)))
    }
}

fn both(a: Value, b: Value, f: impl Fn(Decimal, Decimal) -> Option<Decimal>) -> Value {
    Value(match (a.0, b.0) {
        (Some(a), Some(b)) => f(a, b),
        _ => None,
    })
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
        |a| Value(a.0.map(|x| -x)),
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
            // checked_div is None for a zero divisor.
            apply: |a, b| both(a, b, Decimal::checked_div),
            prio: 1,
            is_commutative: false,
        }
    )
);

/// A parsed formula and the indicator codes it reads, in the order `eval` takes them.
#[derive(Debug, Clone)]
pub struct Formula {
    expr: FlatEx<Value, DecimalOps>,
}

impl Formula {
    /// Parses `text`; every name in it must be the code of one of `known`.
    pub fn parse(text: &str, known: &[Indicator]) -> Result<Formula, String> {
        let expr = FlatEx::<Value, DecimalOps>::parse(text)
            .map_err(|e| format!("cannot be read ({e}); write e.g. `a + b` or `a / b * 100`"))?;
        if let Some(name) = expr
            .var_names()
            .iter()
            .find(|n| !known.iter().any(|i| &i.code == *n))
        {
            return Err(format!(
                "`{name}` is not the code of an indicator declared before it"
            ));
        }
        Ok(Formula { expr })
    }

    /// The value for the given values of the indicators it reads.
    pub fn eval(&self, value_of: impl Fn(&str) -> Option<Decimal>) -> Option<Decimal> {
        let vars: Vec<Value> = self
            .expr
            .var_names()
            .iter()
            .map(|n| Value(value_of(n)))
            .collect();
        self.expr.eval(&vars).ok().and_then(|v| v.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ind(code: &str) -> Indicator {
        toml::from_str(&format!(
            "code = \"{code}\"\nsection = \"I\"\nlabel = \"{code}\"\nunit = \"người\""
        ))
        .unwrap()
    }

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn formulas_compute_exactly() {
        let known = [ind("a"), ind("b"), ind("c")];
        let vals = |n: &str| match n {
            "a" => Some(d("0.1")),
            "b" => Some(d("0.2")),
            "c" => Some(d("3")),
            _ => None,
        };
        let f = |t: &str| Formula::parse(t, &known).unwrap().eval(vals);
        assert_eq!(f("a + b"), Some(d("0.3")), "exact, not 0.30000000000000004");
        assert_eq!(f("(a + b) * c"), Some(d("0.9")));
        assert_eq!(f("a + b * c"), Some(d("0.7")), "precedence");
        assert_eq!(f("c - a - b"), Some(d("2.7")), "left to right");
        assert_eq!(f("-a + c"), Some(d("2.9")));
        assert_eq!(f("b / c * 100"), Some(d("0.2") / d("3") * d("100")));
    }

    #[test]
    fn division_by_zero_and_missing_values_give_no_value() {
        let known = [ind("a"), ind("b")];
        let zero = |n: &str| Some(if n == "b" { Decimal::ZERO } else { d("5") });
        assert_eq!(Formula::parse("a / b", &known).unwrap().eval(zero), None);
        let missing = |n: &str| (n == "a").then(|| d("5"));
        assert_eq!(Formula::parse("a + b", &known).unwrap().eval(missing), None);
    }

    #[test]
    fn unknown_names_and_bad_syntax_are_refused() {
        let known = [ind("a")];
        assert!(Formula::parse("a + zalo", &known)
            .unwrap_err()
            .contains("zalo"));
        assert!(Formula::parse("a +* (", &known).is_err());
    }
}

//! Reading values out of an options array argument.

use crate::value::{Array, Value};
use std::rc::Rc;

/// The value of option `key`, if given.
pub(crate) fn option<'a>(options: &'a Option<Rc<Array>>, key: &str) -> Option<&'a Value> {
    options.as_ref()?.map.get(&Value::str(key).to_key())
}

//! One copy of each value that many devices hold: a fleet's devices trust mostly the same few
//! dozen roots, and devices that trust the same roots get the same activation checklists. The
//! timelines hold shared references into a [`Shared`] table and hand them back when a device
//! lets go, so that a value nobody holds leaves the table.

use std::hash::Hash;
use std::rc::Rc;

use foldhash::HashSet;

/// A table of values, each held once.
#[derive(Debug)]
pub struct Shared<T> {
    values: HashSet<Rc<T>>,
}

impl<T> Default for Shared<T> {
    fn default() -> Self {
        Shared {
            values: HashSet::default(),
        }
    }
}

impl<T: Eq + Hash + Clone> Shared<T> {
    /// The table's copy of `value`, added if it is new.
    pub fn share(&mut self, value: &T) -> Rc<T> {
        if let Some(shared) = self.values.get(value) {
            return Rc::clone(shared);
        }
        let shared = Rc::new(value.clone());
        self.values.insert(Rc::clone(&shared));
        shared
    }

    /// Gives a reference back; the value leaves the table when nobody else holds it.
    pub fn release(&mut self, value: Rc<T>) {
        // The table's reference and this one: nobody else holds it.
        if Rc::strong_count(&value) == 2 {
            self.values.remove(&*value);
        }
    }

    /// How many values the table holds.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::Shared;

    #[test]
    fn equal_values_are_held_once_and_leave_with_their_last_holder() {
        let mut table = Shared::default();
        let (a, b) = (
            table.share(&"root".to_string()),
            table.share(&"root".to_string()),
        );
        assert!(std::rc::Rc::ptr_eq(&a, &b));
        assert_eq!(table.len(), 1);
        table.release(a);
        assert_eq!(table.len(), 1);
        table.release(b);
        assert!(table.is_empty());
    }
}

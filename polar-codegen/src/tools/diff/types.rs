//! Comparing type definitions: structs and their fields, enums and unions.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use super::differ::{is_boxed, rust_members, rust_name, Boxed, Differ, FieldShape};
use super::report::{ChangeKind, Item};
use super::show::{list, required_word, show_type, usage_words};
use crate::ir::{Api, EnumDef, Field, StructDef, TypeDef, TypeId, TypeKind, TypeRef, UnionDef};

impl Differ {
    pub(super) fn types(&mut self, old: &Api, new: &Api) {
        let renamed_to: BTreeSet<TypeId> = self.renames.values().cloned().collect();
        for (id, old_t) in &old.types {
            if let Some(new_t) = new.types.get(id) {
                self.type_def(&id.0, old_t, new_t);
                continue;
            }
            let Some(new_id) = self.renames.get(id).cloned() else {
                let detail = format!("{} {}", old_t.kind.label(), rust_name(&self.names.0, id));
                self.push(ChangeKind::Removed, Item::Type, &id.0, detail, true);
                continue;
            };
            let new_t = &new.types[&new_id];
            // The id is the spec's, not the crate's: only a new Rust name is news.
            let (old_name, new_name) = (
                rust_name(&self.names.0, id),
                rust_name(&self.names.1, &new_id),
            );
            if old_name != new_name {
                let detail = format!("now `{new_id}` (Rust name {old_name} → {new_name})");
                self.push(ChangeKind::Renamed, Item::Type, &id.0, detail, true);
            }
            self.type_def(&new_id.0, old_t, new_t);
        }
        for (id, new_t) in &new.types {
            if !old.types.contains_key(id) && !renamed_to.contains(id) {
                let detail = format!("{} {}", new_t.kind.label(), rust_name(&self.names.1, id));
                self.push(ChangeKind::Added, Item::Type, &id.0, detail, false);
            }
        }
    }

    pub(super) fn type_def(&mut self, id: &str, old: &TypeDef, new: &TypeDef) {
        let (old_name, new_name) = (
            rust_name(&self.names.0, &old.id),
            rust_name(&self.names.1, &new.id),
        );
        if old_name != new_name && old.id == new.id {
            let detail = format!("Rust name {old_name} → {new_name}");
            self.push(ChangeKind::Renamed, Item::Type, id, detail, true);
        }
        let lost = |was: bool, is: bool| was && !is;
        let usage_lost = lost(old.usage.input, new.usage.input)
            || lost(old.usage.deserialized(), new.usage.deserialized());
        if old.usage != new.usage {
            let detail = format!(
                "used as {} → {}",
                usage_words(old.usage),
                usage_words(new.usage)
            );
            self.push(ChangeKind::Changed, Item::Type, id, detail, usage_lost);
        }
        let none = BTreeSet::new();
        let old_features = self.features.0.get(&old.id).unwrap_or(&none);
        let new_features = self.features.1.get(&new.id).unwrap_or(&none);
        let left: BTreeSet<String> = old_features.difference(new_features).cloned().collect();
        // A type no feature reaches any more goes with the operations that used it,
        // which are reported themselves.
        if !left.is_empty() && !new_features.is_empty() {
            let detail = format!("no longer in cargo feature(s) {}", list(&left));
            self.push(ChangeKind::Changed, Item::Type, id, detail, true);
        }
        if old.docs.deprecated != new.docs.deprecated {
            let detail = if new.docs.deprecated {
                "deprecated"
            } else {
                "no longer deprecated"
            };
            self.push(ChangeKind::Changed, Item::Type, id, detail, false);
        }
        match (&old.kind, &new.kind) {
            (TypeKind::Struct(_), TypeKind::Struct(_)) => self.struct_def(id, old, new),
            (TypeKind::Enum(a), TypeKind::Enum(b)) => {
                let (old_names, new_names) = (
                    rust_members(&self.names.0, &old.id).to_vec(),
                    rust_members(&self.names.1, &new.id).to_vec(),
                );
                self.enum_def(id, (a, &old_names), (b, &new_names))
            }
            (TypeKind::Union(a), TypeKind::Union(b)) => {
                let boxed = |boxed: &Boxed, def: &TypeDef, u: &UnionDef| -> Vec<bool> {
                    (0..u.variants.len())
                        .map(|i| is_boxed(boxed, &def.id, i))
                        .collect()
                };
                let (old_boxed, new_boxed) =
                    (boxed(&self.boxed.0, old, a), boxed(&self.boxed.1, new, b));
                let (old_names, new_names) = (
                    rust_members(&self.names.0, &old.id).to_vec(),
                    rust_members(&self.names.1, &new.id).to_vec(),
                );
                self.union_def(id, (a, &old_boxed, &old_names), (b, &new_boxed, &new_names))
            }
            (TypeKind::Alias(a), TypeKind::Alias(b)) => {
                if !self.same(a, b) {
                    let detail = format!("alias of {} → {}", show_type(a), show_type(b));
                    self.push(ChangeKind::Changed, Item::Type, id, detail, true);
                }
            }
            (a, b) => {
                let detail = format!("{} → {}", a.label(), b.label());
                self.push(ChangeKind::Changed, Item::Type, id, detail, true);
            }
        }
    }

    pub(super) fn struct_def(&mut self, id: &str, old: &TypeDef, new: &TypeDef) {
        let (TypeKind::Struct(old_s), TypeKind::Struct(new_s)) = (&old.kind, &new.kind) else {
            return;
        };
        // Users build the structs they send, with `new`; see the module docs.
        let built_by_users = old.usage.input || new.usage.input;
        let by_wire = |s: &StructDef,
                       id: &TypeId,
                       boxed: &Boxed,
                       names: &[String]|
         -> BTreeMap<String, (Field, bool, String)> {
            s.fields
                .iter()
                .enumerate()
                .map(|(i, f)| {
                    let rust = names.get(i).cloned().unwrap_or_default();
                    (f.name.clone(), (f.clone(), is_boxed(boxed, id, i), rust))
                })
                .collect()
        };
        let (old_fields, new_fields) = (
            by_wire(
                old_s,
                &old.id,
                &self.boxed.0,
                rust_members(&self.names.0, &old.id),
            ),
            by_wire(
                new_s,
                &new.id,
                &self.boxed.1,
                rust_members(&self.names.1, &new.id),
            ),
        );
        for (wire, (old_f, old_boxed, old_rust)) in &old_fields {
            let subject = format!("{id}.{wire}");
            let Some((new_f, new_boxed, new_rust)) = new_fields.get(wire) else {
                self.push(
                    ChangeKind::Removed,
                    Item::Field,
                    &subject,
                    show_type(&old_f.ty),
                    true,
                );
                continue;
            };
            self.field(
                &subject,
                (old_f, old_rust, old.usage.input, *old_boxed),
                (new_f, new_rust, new.usage.input, *new_boxed),
            );
        }
        for (wire, (new_f, _, _)) in &new_fields {
            if !old_fields.contains_key(wire) {
                let mut detail =
                    format!("{} {}", required_word(new_f.required), show_type(&new_f.ty));
                // Optional fields start unset and constants fill themselves; any other
                // required field is a new `new` argument.
                let breaking = built_by_users
                    && matches!(
                        crate::plan::FieldRole::of(new_f),
                        crate::plan::FieldRole::Argument
                    );
                if breaking {
                    detail.push_str(" in an input struct (`new` takes it)");
                }
                self.push(
                    ChangeKind::Added,
                    Item::Field,
                    &format!("{id}.{wire}"),
                    detail,
                    breaking,
                );
            }
        }
        match (&old_s.additional, &new_s.additional) {
            (None, Some(ty)) => {
                // `new` starts the map empty; the struct is non-exhaustive.
                let detail = format!("additional properties {} allowed", show_type(ty));
                self.push(ChangeKind::Changed, Item::Type, id, detail, false);
            }
            (Some(_), None) => self.push(
                ChangeKind::Changed,
                Item::Type,
                id,
                "additional properties removed",
                true,
            ),
            (Some(a), Some(b)) if !self.same(a, b) => {
                let detail = format!("additional properties {} → {}", show_type(a), show_type(b));
                self.push(ChangeKind::Changed, Item::Type, id, detail, true);
            }
            _ => {}
        }
    }

    /// One field present on both sides; `sent` says whether its struct is a request
    /// type (which decides the Rust type of optional nullable fields). Breaking when
    /// the Rust field changes (type, `Option`s, boxing, name), whatever the wire says.
    pub(super) fn field(
        &mut self,
        subject: &str,
        (old, old_rust, old_sent, old_boxed): (&Field, &str, bool, bool),
        (new, new_rust, new_sent, new_boxed): (&Field, &str, bool, bool),
    ) {
        let unwrap = |ty: &TypeRef| match ty {
            TypeRef::Nullable(inner) => (inner.as_ref().clone(), true),
            other => (other.clone(), false),
        };
        let ((old_inner, old_null), (new_inner, new_null)) = (unwrap(&old.ty), unwrap(&new.ty));
        let mut details = Vec::new();
        if !self.same(&old_inner, &new_inner) {
            details.push(format!(
                "type {} → {}",
                show_type(&old_inner),
                show_type(&new_inner)
            ));
        }
        if old_null != new_null {
            details.push(
                if new_null {
                    "now nullable"
                } else {
                    "no longer nullable"
                }
                .to_owned(),
            );
        }
        if old.required != new.required {
            details.push(format!(
                "{} → {}",
                required_word(old.required),
                required_word(new.required)
            ));
        }
        if old_boxed != new_boxed {
            details.push(
                if new_boxed {
                    "now boxed"
                } else {
                    "no longer boxed"
                }
                .to_owned(),
            );
        }
        if old_rust != new_rust {
            details.push(format!("Rust name {old_rust} → {new_rust}"));
        }
        let old_shape = FieldShape::of(old, old_sent, old_boxed);
        let new_shape = FieldShape {
            inner: new_inner.clone(),
            ..FieldShape::of(new, new_sent, new_boxed)
        };
        let old_shape = FieldShape {
            inner: self.renamed(&old_shape.inner),
            ..old_shape
        };
        let rust_changed = old_shape != new_shape || old_rust != new_rust;
        if old_shape.options != new_shape.options && old_sent != new_sent {
            details.push(if new_sent {
                "its struct is now sent in requests".to_owned()
            } else {
                "its struct is no longer sent in requests".to_owned()
            });
        }
        if !details.is_empty() {
            let mut detail = details.join("; ");
            if rust_changed {
                if old_shape != new_shape {
                    let _ = write!(
                        detail,
                        " (Rust type {} → {})",
                        old_shape.show(),
                        new_shape.show()
                    );
                }
            } else {
                let _ = write!(detail, " (Rust type unchanged: {})", new_shape.show());
            }
            self.push(
                ChangeKind::Changed,
                Item::Field,
                subject,
                detail,
                rust_changed,
            );
        }
        if old.docs.deprecated != new.docs.deprecated {
            let detail = if new.docs.deprecated {
                "deprecated"
            } else {
                "no longer deprecated"
            };
            self.push(ChangeKind::Changed, Item::Field, subject, detail, false);
        }
    }

    pub(super) fn enum_def(
        &mut self,
        id: &str,
        (old, old_names): (&EnumDef, &[String]),
        (new, new_names): (&EnumDef, &[String]),
    ) {
        let by_wire = |e: &EnumDef, names: &[String]| -> BTreeMap<String, String> {
            e.values
                .iter()
                .zip(names)
                .map(|(v, rust)| (v.value.clone(), rust.clone()))
                .collect()
        };
        let (old_values, new_values) = (by_wire(old, old_names), by_wire(new, new_names));
        for (wire, rust) in &old_values {
            let subject = format!("{id}::{wire}");
            match new_values.get(wire) {
                None => self.push(
                    ChangeKind::Removed,
                    Item::EnumValue,
                    &subject,
                    format!("variant {rust}"),
                    true,
                ),
                Some(new_rust) if new_rust != rust => {
                    let detail = format!("variant {rust} → {new_rust}");
                    self.push(ChangeKind::Renamed, Item::EnumValue, &subject, detail, true);
                }
                Some(_) => {}
            }
        }
        for (wire, rust) in &new_values {
            if !old_values.contains_key(wire) {
                let detail = format!("variant {rust} (enum is non-exhaustive)");
                self.push(
                    ChangeKind::Added,
                    Item::EnumValue,
                    &format!("{id}::{wire}"),
                    detail,
                    false,
                );
            }
        }
    }

    pub(super) fn union_def(
        &mut self,
        id: &str,
        (old, old_boxed, old_names): (&UnionDef, &[bool], &[String]),
        (new, new_boxed, new_names): (&UnionDef, &[bool], &[String]),
    ) {
        if old.discriminator != new.discriminator {
            let detail = format!(
                "discriminator {:?} → {:?}",
                old.discriminator, new.discriminator
            );
            self.push(ChangeKind::Changed, Item::Type, id, detail, false);
        }
        type Variants = BTreeMap<String, (TypeRef, Vec<String>, bool)>;
        let by_name = |u: &UnionDef, boxed: &[bool], names: &[String]| -> Variants {
            u.variants
                .iter()
                .zip(boxed)
                .zip(names)
                .map(|((v, b), rust)| (rust.clone(), (v.ty.clone(), v.tags.clone(), *b)))
                .collect()
        };
        let (old_variants, new_variants) = (
            by_name(old, old_boxed, old_names),
            by_name(new, new_boxed, new_names),
        );
        for (name, (ty, tags, boxed)) in &old_variants {
            let subject = format!("{id}::{name}");
            let Some((new_ty, new_tags, new_boxed)) = new_variants.get(name) else {
                self.push(
                    ChangeKind::Removed,
                    Item::UnionVariant,
                    &subject,
                    show_type(ty),
                    true,
                );
                continue;
            };
            if !self.same(ty, new_ty) {
                let detail = format!("type {} → {}", show_type(ty), show_type(new_ty));
                self.push(
                    ChangeKind::Changed,
                    Item::UnionVariant,
                    &subject,
                    detail,
                    true,
                );
            }
            if boxed != new_boxed {
                let detail = if *new_boxed {
                    "now boxed"
                } else {
                    "no longer boxed"
                };
                self.push(
                    ChangeKind::Changed,
                    Item::UnionVariant,
                    &subject,
                    detail,
                    true,
                );
            }
            if tags != new_tags {
                let detail = format!("tags {} → {}", tags.join("|"), new_tags.join("|"));
                self.push(
                    ChangeKind::Changed,
                    Item::UnionVariant,
                    &subject,
                    detail,
                    false,
                );
            }
        }
        for (name, (ty, _, _)) in &new_variants {
            if !old_variants.contains_key(name) {
                let detail = format!("{} (union is non-exhaustive)", show_type(ty));
                self.push(
                    ChangeKind::Added,
                    Item::UnionVariant,
                    &format!("{id}::{name}"),
                    detail,
                    false,
                );
            }
        }
    }
}

//! The event type the ingester sends, and the `external_id` every event is given.

use crate::models::EventsIngestEventsItem;

/// One usage event: an [`crate::models::EventCreateCustomer`] (Polar customer id) or an
/// [`crate::models::EventCreateExternalCustomer`] (your own customer id), as accepted by
/// `POST /v1/events/ingest`.
pub type IngestEvent = EventsIngestEventsItem;

/// The event's `external_id`, if it has a non-empty one.
pub fn external_id(event: &IngestEvent) -> Option<&str> {
    let id = match event {
        EventsIngestEventsItem::EventCreateCustomer(event) => &event.external_id,
        EventsIngestEventsItem::EventCreateExternalCustomer(event) => &event.external_id,
    };
    id.as_ref()
        .and_then(Option::as_deref)
        .filter(|id| !id.is_empty())
}

/// Gives the event a fresh UUID v7 `external_id` unless it already has one, so that a batch
/// sent twice (a retry after a lost response) is de-duplicated by Polar.
///
/// UUID v7 starts with the time in milliseconds, so ids sort by creation and index well.
pub(crate) fn ensure_external_id(event: &mut IngestEvent) {
    if external_id(event).is_some() {
        return;
    }
    let id = Some(Some(uuid::Uuid::now_v7().to_string()));
    match event {
        EventsIngestEventsItem::EventCreateCustomer(event) => event.external_id = id,
        EventsIngestEventsItem::EventCreateExternalCustomer(event) => event.external_id = id,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(external_id: Option<Option<&str>>) -> IngestEvent {
        serde_json::from_value(serde_json::json!({
            "name": "api_call",
            "external_customer_id": "user_1",
        }))
        .map(|mut event: IngestEvent| {
            if let EventsIngestEventsItem::EventCreateExternalCustomer(inner) = &mut event {
                inner.external_id = external_id.map(|id| id.map(str::to_owned));
            }
            event
        })
        .unwrap()
    }

    #[test]
    fn missing_or_empty_ids_get_a_uuid_v7() {
        for missing in [None, Some(None), Some(Some(""))] {
            let mut event = event(missing);
            ensure_external_id(&mut event);
            let id = external_id(&event).expect("an id was assigned");
            let uuid = uuid::Uuid::parse_str(id).unwrap();
            assert_eq!(uuid.get_version_num(), 7, "{id}");
        }
    }

    #[test]
    fn a_caller_id_is_kept() {
        let mut event = event(Some(Some("order-42")));
        ensure_external_id(&mut event);
        assert_eq!(external_id(&event), Some("order-42"));
    }

    #[test]
    fn ids_are_unique_and_ordered() {
        let ids: Vec<String> = (0..1000)
            .map(|_| {
                let mut event = event(None);
                ensure_external_id(&mut event);
                external_id(&event).unwrap().to_owned()
            })
            .collect();
        let mut sorted = ids.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted, ids);
    }
}

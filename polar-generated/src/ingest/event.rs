//! The event type the ingester sends, and the `external_id` every event is given.

use crate::models::EventsIngestEvent;

/// One usage event: an [`crate::models::EventCreateCustomer`] (Polar customer id) or an
/// [`crate::models::EventCreateExternalCustomer`] (your own customer id), as accepted by
/// `POST /v1/events/ingest`.
pub type IngestEvent = EventsIngestEvent;

/// The event's `external_id`, if it has a non-empty one.
pub fn external_id(event: &IngestEvent) -> Option<&str> {
    let id = match event {
        EventsIngestEvent::EventCreateCustomer(event) => &event.external_id,
        EventsIngestEvent::EventCreateExternalCustomer(event) => &event.external_id,
    };
    id.as_ref()
        .and_then(Option::as_deref)
        .filter(|id| !id.is_empty())
}

/// Prepares an event as it is accepted: a fresh UUID v7 `external_id` unless it has one,
/// so that a batch sent twice (a retry after a lost response) is de-duplicated by Polar;
/// and the current time as its `timestamp` unless it has one, because Polar stamps an
/// event without one when it *receives* it, which after buffering or retries could move
/// usage into the next billing period.
///
/// UUID v7 starts with the time in milliseconds, so ids sort by creation and index well.
pub(crate) fn prepare(event: &mut IngestEvent) {
    let has_id = external_id(event).is_some();
    let (timestamp, id) = match event {
        EventsIngestEvent::EventCreateCustomer(event) => {
            (&mut event.timestamp, &mut event.external_id)
        }
        EventsIngestEvent::EventCreateExternalCustomer(event) => {
            (&mut event.timestamp, &mut event.external_id)
        }
    };
    if !has_id {
        *id = Some(Some(uuid::Uuid::now_v7().to_string()));
    }
    if timestamp.is_none() {
        *timestamp = Some(chrono::Utc::now());
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
            if let EventsIngestEvent::EventCreateExternalCustomer(inner) = &mut event {
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
            prepare(&mut event);
            let id = external_id(&event).expect("an id was assigned");
            let uuid = uuid::Uuid::parse_str(id).unwrap();
            assert_eq!(uuid.get_version_num(), 7, "{id}");
        }
    }

    #[test]
    fn a_missing_timestamp_is_the_time_of_sending() {
        let before = chrono::Utc::now();
        let mut event = event(None);
        prepare(&mut event);
        let EventsIngestEvent::EventCreateExternalCustomer(inner) = &event else {
            panic!("{event:?}")
        };
        let stamped = inner.timestamp.expect("stamped");
        assert!(stamped >= before && stamped <= chrono::Utc::now());

        let mut event = event.clone();
        let given = chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        if let EventsIngestEvent::EventCreateExternalCustomer(inner) = &mut event {
            inner.timestamp = Some(given);
        }
        prepare(&mut event);
        let EventsIngestEvent::EventCreateExternalCustomer(inner) = &event else {
            panic!("{event:?}")
        };
        assert_eq!(inner.timestamp, Some(given));
    }

    #[test]
    fn a_caller_id_is_kept() {
        let mut event = event(Some(Some("order-42")));
        prepare(&mut event);
        assert_eq!(external_id(&event), Some("order-42"));
    }

    #[test]
    fn ids_are_unique_and_ordered() {
        let ids: Vec<String> = (0..1000)
            .map(|_| {
                let mut event = event(None);
                prepare(&mut event);
                external_id(&event).unwrap().to_owned()
            })
            .collect();
        let mut sorted = ids.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted, ids);
    }
}

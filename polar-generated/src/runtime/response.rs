//! A successful HTTP response and the three ways generated code consumes it.

use bytes::Bytes;
use reqwest::header::{HeaderMap, CONTENT_TYPE};
use serde::de::DeserializeOwned;

use crate::runtime::json;
use crate::Error;

/// A successful (2xx) response, fully read. Returned by `Client::execute`.
#[derive(Debug, Clone)]
pub struct Response {
    operation_id: &'static str,
    status: u16,
    headers: HeaderMap,
    body: Bytes,
}

impl Response {
    /// Wraps a received response (the client calls this; public for tests and custom
    /// transports).
    pub fn new(operation_id: &'static str, status: u16, headers: HeaderMap, body: Bytes) -> Self {
        Response {
            operation_id,
            status,
            headers,
            body,
        }
    }

    /// HTTP status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// Response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The `Polar-Version` the server echoed, i.e. the API version that answered.
    pub fn api_version(&self) -> Option<&str> {
        self.headers.get("polar-version")?.to_str().ok()
    }

    /// The raw body.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// The `Content-Type` header without parameters, lower-cased (`application/json`).
    pub fn content_type(&self) -> Option<String> {
        let value = self.headers.get(CONTENT_TYPE)?.to_str().ok()?;
        let essence = value.split(';').next().unwrap_or("").trim();
        Some(essence.to_ascii_lowercase())
    }

    /// Decodes a JSON body as `T`.
    ///
    /// Fails with [`Error::UnexpectedContentType`] when the server labelled the body as
    /// something other than JSON (e.g. an HTML page from a proxy), and with
    /// [`Error::Decode`] (with the JSON path of the mismatch) when the body is empty or does
    /// not match `T`.
    pub fn json<T: DeserializeOwned>(self) -> Result<T, Error> {
        if let Some(content_type) = self.content_type() {
            if !is_json(&content_type) {
                return Err(Error::UnexpectedContentType {
                    operation_id: self.operation_id,
                    expected: "application/json",
                    got: Some(content_type),
                    status: self.status,
                    raw: self.raw(),
                });
            }
        }
        if self.body.iter().all(u8::is_ascii_whitespace) {
            return Err(self.decode_error(".".into(), "empty body, expected JSON".into()));
        }
        json::decode(&self.body).map_err(|err| self.decode_error(err.path, err.message))
    }

    /// The body as text (e.g. `text/csv` exports), whatever content type the server sent.
    /// Fails with [`Error::Decode`] if the body is not UTF-8.
    pub fn text(self) -> Result<String, Error> {
        match String::from_utf8(self.body.to_vec()) {
            Ok(text) => Ok(text),
            Err(err) => Err(self.decode_error(".".into(), format!("body is not UTF-8: {err}"))),
        }
    }

    /// The body as bytes (binary downloads such as PDFs), whatever content type the
    /// server sent.
    pub fn bytes(self) -> Result<Bytes, Error> {
        Ok(self.body)
    }

    /// For operations without a response body (e.g. 204): succeeds whatever the body.
    pub fn empty(self) -> Result<(), Error> {
        Ok(())
    }

    fn raw(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn decode_error(&self, path: String, message: String) -> Error {
        Error::Decode {
            operation_id: Some(self.operation_id),
            status: self.status,
            path,
            message,
            raw: self.raw(),
        }
    }
}

/// `application/json`, `application/problem+json` and other `+json` types.
fn is_json(content_type: &str) -> bool {
    content_type == "application/json" || content_type.ends_with("+json")
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn response(content_type: Option<&str>, body: &str) -> Response {
        let mut headers = HeaderMap::new();
        if let Some(value) = content_type {
            headers.insert(CONTENT_TYPE, HeaderValue::from_str(value).unwrap());
        }
        Response::new("op", 200, headers, Bytes::from(body.to_owned()))
    }

    #[derive(Debug, serde::Deserialize)]
    struct Item {
        #[allow(dead_code)]
        amount: i64,
    }

    #[test]
    fn json_accepts_parameters_and_missing_content_type() {
        let ok = response(Some("Application/JSON; charset=utf-8"), r#"{"amount":1}"#);
        assert!(ok.json::<Item>().is_ok());
        let ok = response(None, r#"{"amount":1}"#);
        assert!(ok.json::<Item>().is_ok());
    }

    #[test]
    fn json_reports_path_of_mismatch() {
        let err = response(Some("application/json"), r#"[{"amount":1},{"amount":"x"}]"#)
            .json::<Vec<Item>>()
            .unwrap_err();
        match err {
            Error::Decode { path, raw, .. } => {
                assert_eq!(path, "[1].amount");
                assert!(raw.contains("\"x\""));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn text_ignores_content_type() {
        let csv = response(Some("application/json"), "a,b\n1,2\n");
        assert_eq!(csv.text().unwrap(), "a,b\n1,2\n");
    }

    #[test]
    fn bytes_returns_the_body_whatever_the_content_type() {
        let body = response(Some("application/pdf"), "%PDF-1.7")
            .bytes()
            .unwrap();
        assert_eq!(&body[..], b"%PDF-1.7");
    }
}

//! The one HTTP client every tracker call goes through: authentication, JSON, rate limits and
//! retries, and errors that never show the token.

use std::time::Duration;

use serde_json::Value;

use super::TrackerError;

/// How a tracker wants its token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// `Authorization: Bearer <token>` (GitHub).
    Bearer,
    /// `Authorization: token <token>` (Gitea, Forgejo).
    Token,
    /// `PRIVATE-TOKEN: <token>` (GitLab).
    PrivateToken,
}

/// A response: status, the headers pactum reads, and the JSON body.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub link: Option<String>,
    pub(crate) next_page: Option<String>,
    pub body: Value,
}

/// Retry and wait limits.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Retries of one request after a server error, a dropped connection or a rate limit.
    pub retries: u32,
    /// The first backoff; it doubles each retry.
    pub backoff: Duration,
    /// The longest pactum waits for a rate limit to reset before giving up.
    pub max_wait: Duration,
    /// How long a connection may take to open.
    pub connect: Duration,
    /// How long one request may take, from sending it to the end of the answer.
    pub answer: Duration,
    /// How long one request may take in all, retries and waits included.
    pub deadline: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            retries: 4,
            backoff: Duration::from_millis(500),
            max_wait: Duration::from_secs(120),
            connect: Duration::from_secs(10),
            answer: Duration::from_secs(30),
            deadline: Duration::from_secs(60),
        }
    }
}

pub struct Client {
    agent: ureq::Agent,
    base: String,
    token: String,
    auth: Auth,
    limits: Limits,
    requests: usize,
    /// Next-page links followed so far: a link back to one of them would loop for ever.
    followed: std::collections::HashSet<String>,
}

/// The most pages one listing may have; a tracker that sends more is answered with an error.
const MAX_PAGES: usize = 1_000;

/// `scheme://host:port` of a URL.
fn origin(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(0, |at| at + 3);
    let end = url[after_scheme..].find('/').map_or(url.len(), |at| after_scheme + at);
    &url[..end]
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the token.
        f.debug_struct("Client").field("base", &self.base).field("requests", &self.requests).finish_non_exhaustive()
    }
}

/// What a transport error means to someone waiting on the run: which limit a timeout hit, and
/// what to do about a certificate pactum does not trust.
fn describe(error: &ureq::Error, limits: &Limits) -> String {
    match error {
        ureq::Error::Timeout(ureq::Timeout::Connect | ureq::Timeout::Resolve) => {
            format!("no connection within {} s", limits.connect.as_secs_f32())
        }
        ureq::Error::Timeout(_) => format!("no answer within {} s", limits.answer.as_secs_f32()),
        error if tls_failure(error) => format!(
            "{error} (the server's certificate is checked against the system's trust store: add the certificate authority of a self-hosted server there, or name a bundle that has it in SSL_CERT_FILE)"
        ),
        error => error.to_string(),
    }
}

/// Whether an error is the TLS handshake's: a certificate not trusted, a protocol refused.
/// Trying again gives the same answer.
fn tls_failure(error: &ureq::Error) -> bool {
    match error {
        ureq::Error::Rustls(_) | ureq::Error::Tls(_) => true,
        // rustls reports a failed handshake through the stream, as invalid data.
        ureq::Error::Io(io) => io.kind() == std::io::ErrorKind::InvalidData,
        _ => false,
    }
}

/// Whether a failed request surely never reached the tracker: no address, no connection.
fn unsent(error: &ureq::Error) -> bool {
    matches!(
        error,
        ureq::Error::ConnectionFailed
            | ureq::Error::HostNotFound
            | ureq::Error::Timeout(ureq::Timeout::Connect | ureq::Timeout::Resolve)
    )
}

/// Whether an error is worth retrying: the connection dropped or timed out (not a TLS failure,
/// which a retry only repeats).
fn transient(error: &ureq::Error) -> bool {
    match error {
        ureq::Error::Io(_) => !tls_failure(error),
        ureq::Error::Timeout(_) | ureq::Error::ConnectionFailed | ureq::Error::HostNotFound => true,
        _ => false,
    }
}

impl Client {
    #[must_use]
    pub fn new(base: &str, token: String, auth: Auth, limits: Limits) -> Self {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(limits.connect))
            .timeout_global(Some(limits.answer))
            .user_agent(concat!("pactum/", env!("CARGO_PKG_VERSION")))
            // The system's trust store (with SSL_CERT_FILE and SSL_CERT_DIR, as OpenSSL reads
            // them), so that a self-hosted GitLab or Gitea with a private authority works.
            .tls_config(ureq::tls::TlsConfig::builder().root_certs(ureq::tls::RootCerts::PlatformVerifier).build())
            .build();
        Self {
            agent: config.into(),
            base: base.trim_end_matches('/').to_owned(),
            token,
            auth,
            limits,
            requests: 0,
            followed: std::collections::HashSet::new(),
        }
    }

    /// How many HTTP requests were sent (retries included).
    #[must_use]
    pub fn requests(&self) -> usize {
        self.requests
    }

    /// Send a request to `path` (below the base URL) with an optional JSON body, retrying
    /// transient failures and waiting out rate limits.
    ///
    /// # Errors
    /// When the request keeps failing, or the tracker answers with an error status.
    pub fn send(&mut self, method: &str, path: &str, body: Option<&Value>) -> Result<Reply, TrackerError> {
        self.exchange(method, path, body, false).map_err(|error| self.redact(error))
    }

    /// Send a request that must not be made twice (creating an issue): retried only when the
    /// tracker cannot have acted on it (no connection, a rate limit); when it may have (the
    /// connection dropped after sending, a gateway's 5xx), [`TrackerError::Lost`], so that
    /// the caller looks before sending it again.
    ///
    /// # Errors
    /// As [`Client::send`], and `Lost`.
    pub(crate) fn send_once(&mut self, method: &str, path: &str, body: Option<&Value>) -> Result<Reply, TrackerError> {
        self.exchange(method, path, body, true).map_err(|error| self.redact(error))
    }

    /// An error as pactum may print it: without the token, which a server may echo
    /// (`Bad credentials: Bearer ghs_…`), and without any URL's user and password.
    fn redact(&self, error: TrackerError) -> TrackerError {
        let clean = |text: String| {
            let text = if self.token.is_empty() { text } else { text.replace(&self.token, "[token]") };
            crate::text::redact_userinfo(&text)
        };
        match error {
            TrackerError::Http { request, message } => {
                TrackerError::Http { request: clean(request), message: clean(message) }
            }
            TrackerError::Status { request, status, message } => {
                TrackerError::Status { request: clean(request), status, message: clean(message) }
            }
            TrackerError::RateLimited { request, seconds } => {
                TrackerError::RateLimited { request: clean(request), seconds }
            }
            TrackerError::Unexpected { request, message } => {
                TrackerError::Unexpected { request: clean(request), message: clean(message) }
            }
            TrackerError::Lost { request, message } => {
                TrackerError::Lost { request: clean(request), message: clean(message) }
            }
        }
    }

    fn exchange(&mut self, method: &str, path: &str, body: Option<&Value>, once: bool) -> Result<Reply, TrackerError> {
        // A path below the base URL, or a whole URL from a `Link` header.
        let url = if path.starts_with("http://") || path.starts_with("https://") {
            // The token goes to the API's own scheme, host and port only, and a listing ends.
            let unexpected =
                |message: String| TrackerError::Unexpected { request: format!("{method} {}", origin(path)), message };
            if origin(path) != origin(&self.base) {
                return Err(unexpected(format!(
                    "a next-page link leads to {}, not to the API at {}; pactum sends its token nowhere else",
                    origin(path),
                    origin(&self.base)
                )));
            }
            if !self.followed.insert(path.to_owned()) {
                return Err(unexpected("a next-page link leads back to a page already read".to_owned()));
            }
            if self.followed.len() > MAX_PAGES {
                return Err(unexpected(format!("the listing runs past {MAX_PAGES} pages")));
            }
            path.to_owned()
        } else {
            format!("{}{path}", self.base)
        };
        let without_query = url.split('?').next().unwrap_or(&url);
        let shown = format!("{method} {}", without_query.strip_prefix(&self.base).unwrap_or(without_query));
        let started = std::time::Instant::now();
        let mut attempt = 0;
        loop {
            attempt += 1;
            self.requests += 1;
            let outcome = self.once(method, &url, body);
            // A request that must not be made twice, whose fate is unknown: said, not retried.
            if once {
                let lost = match &outcome {
                    Err(error) if transient(error) && !unsent(error) => Some(describe(error, &self.limits)),
                    Ok((status, headers, body)) if *status >= 500 && rate_limit_wait(*status, headers).is_none() => {
                        Some(format!("status {status}{}", error_message(body)))
                    }
                    _ => None,
                };
                if let Some(message) = lost {
                    return Err(TrackerError::Lost { request: shown, message });
                }
            }
            let rate_limited =
                matches!(&outcome, Ok((status, headers, _)) if rate_limit_wait(*status, headers).is_some());
            let retry_after = match &outcome {
                Err(error) if transient(error) => Some(self.backoff(attempt)),
                Err(error) => {
                    return Err(TrackerError::Http { request: shown, message: describe(error, &self.limits) });
                }
                Ok((status, headers, _)) => {
                    rate_limit_wait(*status, headers).or_else(|| (*status >= 500).then(|| self.backoff(attempt)))
                }
            };
            // Waiting out a rate limit has its own bound; the deadline is for a tracker that fails.
            let past_deadline =
                !rate_limited && retry_after.is_some_and(|wait| started.elapsed() + wait > self.limits.deadline);
            match retry_after {
                Some(_) if past_deadline => {
                    let last = match outcome {
                        Ok((status, _, body)) => format!("status {status}{}", error_message(&body)),
                        Err(error) => describe(&error, &self.limits),
                    };
                    return Err(TrackerError::Http {
                        request: shown,
                        message: format!(
                            "{last}; gave up after {attempt} attempts, as another would pass the {} s deadline",
                            self.limits.deadline.as_secs_f32()
                        ),
                    });
                }
                Some(wait) if attempt <= self.limits.retries && wait <= self.limits.max_wait => {
                    std::thread::sleep(wait);
                }
                Some(wait) if wait > self.limits.max_wait => {
                    return Err(TrackerError::RateLimited { request: shown, seconds: wait.as_secs() });
                }
                Some(_) => {
                    let message = match outcome {
                        Ok((status, _, body)) => format!("status {status}{}", error_message(&body)),
                        Err(error) => describe(&error, &self.limits),
                    };
                    return Err(TrackerError::Http {
                        request: shown,
                        message: format!("{message} (gave up after {attempt} attempts)"),
                    });
                }
                None => {
                    let (status, headers, body) = outcome.expect("errors returned above");
                    if status >= 400 {
                        return Err(TrackerError::Status { request: shown, status, message: error_message(&body) });
                    }
                    return Ok(Reply { status, link: headers.link, next_page: headers.next_page, body });
                }
            }
        }
    }

    fn backoff(&self, attempt: u32) -> Duration {
        self.limits.backoff * 2u32.saturating_pow(attempt.saturating_sub(1))
    }

    fn once(&self, method: &str, url: &str, body: Option<&Value>) -> Result<(u16, Headers, Value), ureq::Error> {
        let (name, value) = match self.auth {
            Auth::Bearer => ("Authorization", format!("Bearer {}", self.token)),
            Auth::Token => ("Authorization", format!("token {}", self.token)),
            Auth::PrivateToken => ("PRIVATE-TOKEN", self.token.clone()),
        };
        // GitHub's media type and API version go to GitHub only; the others get plain JSON.
        let github = matches!(self.auth, Auth::Bearer);
        let accept = if github { "application/vnd.github+json" } else { "application/json" };
        let version = github.then_some(("X-GitHub-Api-Version", "2022-11-28"));
        let mut response = match (method, body) {
            ("GET", _) => {
                let request = self.agent.get(url).header(name, &value).header("Accept", accept);
                match version {
                    Some((key, api)) => request.header(key, api).call()?,
                    None => request.call()?,
                }
            }
            (method, body) => {
                let request = match method {
                    "POST" => self.agent.post(url),
                    "PATCH" => self.agent.patch(url),
                    "PUT" => self.agent.put(url),
                    _ => self.agent.delete(url).force_send_body(),
                };
                let request = request.header(name, &value).header("Accept", accept);
                let request = match version {
                    Some((key, api)) => request.header(key, api),
                    None => request,
                };
                match body {
                    Some(body) => request.send_json(body)?,
                    None => request.send_empty()?,
                }
            }
        };
        let status = response.status().as_u16();
        let header = |key: &str| response.headers().get(key).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let headers = Headers {
            link: header("link"),
            next_page: header("x-next-page").filter(|p| !p.is_empty()),
            retry_after: header("retry-after"),
            remaining: header("x-ratelimit-remaining"),
            reset: header("x-ratelimit-reset"),
        };
        let text = response.body_mut().read_to_string()?;
        let body = if text.trim().is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        Ok((status, headers, body))
    }
}

#[derive(Debug, Clone, Default)]
struct Headers {
    link: Option<String>,
    next_page: Option<String>,
    retry_after: Option<String>,
    remaining: Option<String>,
    reset: Option<String>,
}

/// How long a rate-limited response asks to wait: `retry-after` seconds, or until
/// `x-ratelimit-reset` when no requests remain. GitHub answers 403 or 429 for both.
fn rate_limit_wait(status: u16, headers: &Headers) -> Option<Duration> {
    if status != 429 && status != 403 {
        return None;
    }
    if let Some(seconds) = headers.retry_after.as_deref().and_then(|s| s.trim().parse::<u64>().ok()) {
        return Some(Duration::from_secs(seconds));
    }
    if headers.remaining.as_deref() == Some("0") {
        let reset = headers.reset.as_deref().and_then(|s| s.trim().parse::<u64>().ok())?;
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
        return Some(Duration::from_secs(reset.saturating_sub(now) + 1));
    }
    (status == 429).then(|| Duration::from_secs(1))
}

fn error_message(body: &Value) -> String {
    let message = body
        .get("message")
        .or_else(|| body.get("error"))
        .and_then(Value::as_str)
        .map(str::to_owned)
        .or_else(|| body.get("message").map(Value::to_string));
    message.map(|m| format!(": {}", m.chars().take(300).collect::<String>())).unwrap_or_default()
}

/// The URL of the next page from a `Link` header, if there is one.
#[must_use]
pub(crate) fn next_link(link: Option<&str>) -> Option<String> {
    link?.split(',').find_map(|part| {
        let (url, params) = part.split_once(';')?;
        params.contains("rel=\"next\"").then(|| url.trim().trim_start_matches('<').trim_end_matches('>').to_owned())
    })
}

pub use crate::text::percent_encode as encode;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_headers() {
        let link = "<https://api.github.com/repos/o/r/issues?page=2>; rel=\"next\", <https://api.github.com/repos/o/r/issues?page=5>; rel=\"last\"";
        assert_eq!(next_link(Some(link)).as_deref(), Some("https://api.github.com/repos/o/r/issues?page=2"));
        assert_eq!(next_link(Some("<x>; rel=\"prev\"")), None);
    }

    #[test]
    fn rate_limit_headers() {
        let retry = Headers { retry_after: Some("3".into()), ..Headers::default() };
        assert_eq!(rate_limit_wait(429, &retry), Some(Duration::from_secs(3)));
        assert_eq!(rate_limit_wait(403, &Headers::default()), None, "a plain 403 is a permission error");
        assert_eq!(rate_limit_wait(200, &retry), None);
    }

    #[test]
    fn encoding() {
        assert_eq!(encode("group/project"), "group%2Fproject");
        assert_eq!(encode("contract reminder"), "contract%20reminder");
    }
}

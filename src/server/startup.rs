//! The startup phase: protocol negotiation, the connection's [`Session`] and what may stop
//! its statements, the ParameterStatus values the client starts from, and (after each
//! statement) the reported settings a statement changed.

use std::fmt::Debug;

use async_trait::async_trait;
use futures::{Sink, SinkExt};
use pgwire::api::auth::{
    DefaultServerParameterProvider, ServerParameterProvider, StartupHandler, finish_authentication,
    protocol_negotiation, save_startup_parameters_to_metadata,
};
use pgwire::api::{ClientInfo, ConnectionHandle, PidSecretKeyGenerator};
use pgwire::error::{PgWireError, PgWireResult};
use pgwire::messages::startup::ParameterStatus;
use pgwire::messages::{PgWireBackendMessage, PgWireFrontendMessage};
use std::sync::Arc;

use super::backend::Backend;
use super::cancel::ConnectionStops;
use super::connection::PeerProbe;
use super::session::Session;

#[async_trait]
impl StartupHandler for Backend {
    async fn on_startup<C>(
        &self,
        client: &mut C,
        message: PgWireFrontendMessage,
    ) -> PgWireResult<()>
    where
        C: ClientInfo + Sink<PgWireBackendMessage> + Unpin + Send,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        // No users are configured in this version, and the server only listens on loopback
        // then (checked at bind): any user name is accepted without a password.
        if let PgWireFrontendMessage::Startup(ref startup) = message {
            protocol_negotiation(client, startup).await?;
            save_startup_parameters_to_metadata(client, startup);
            let (pid, secret_key) = self.pids.generate(client);
            client.set_pid_and_secret_key(pid, secret_key.clone());
            let (cancel, registration) = self.cancels.register(pid, secret_key.to_bytes());
            let peer = client.session_extensions().get::<PeerProbe>();
            client
                .session_extensions()
                .insert(ConnectionStops { cancel, peer });
            client.session_extensions().insert(registration);
            let (handle, guard) = self.connections.register(pid, secret_key);
            client
                .session_extensions()
                .insert::<Arc<ConnectionHandle>>(handle);
            client.session_extensions().insert(guard);
            let metadata = client.metadata();
            let user = metadata.get(pgwire::api::METADATA_USER).cloned();
            let mut startup: Vec<(String, String)> = metadata
                .iter()
                .filter(|(k, _)| k.as_str() != "options")
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            if let Some(options) = metadata.get("options") {
                startup.extend(settings_in_options(options));
            }
            let session = Session::new(
                self.engine.session(),
                self.engine.cpu(),
                user,
                pid,
                &startup,
            );
            let parameters = StartupParameters {
                server: &self.parameters,
                session: session.reported_settings(),
            };
            client.session_extensions().insert(session);
            finish_authentication(client, &parameters).await?;
        }
        Ok(())
    }
}

/// The settings of the startup packet's `options` (libpq's `PGOPTIONS`, `options=` in a
/// connection string): `-c name=value`, `-cname=value` or `--name=value`, separated by blanks,
/// a backslash escaping the next character. Other command-line switches are left out.
fn settings_in_options(options: &str) -> Vec<(String, String)> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut chars = options.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => word.extend(chars.next()),
            c if c.is_whitespace() => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            c => word.push(c),
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    let mut settings = Vec::new();
    let mut words = words.into_iter();
    while let Some(word) = words.next() {
        let assignment = match word.as_str() {
            "-c" => words.next(),
            _ => word
                .strip_prefix("-c")
                .or_else(|| word.strip_prefix("--"))
                .map(str::to_string),
        };
        if let Some((name, value)) = assignment.as_deref().and_then(|a| a.split_once('=')) {
            settings.push((name.replace('-', "_"), value.to_string()));
        }
    }
    settings
}

/// The ParameterStatus values sent at startup: the server's own, with the session's values
/// of the settings it reports (startup-packet values applied), so that the client starts
/// from what `SHOW` would say.
struct StartupParameters<'a> {
    server: &'a DefaultServerParameterProvider,
    session: Vec<(&'static str, String)>,
}

impl ServerParameterProvider for StartupParameters<'_> {
    fn server_parameters<C>(&self, client: &C) -> Option<std::collections::HashMap<String, String>>
    where
        C: ClientInfo,
    {
        let mut parameters = self.server.server_parameters(client)?;
        for (name, value) in &self.session {
            parameters.insert(name.to_string(), value.clone());
        }
        Some(parameters)
    }
}

/// Tells the client of each reported setting (`TimeZone`, `application_name`, …) whose value
/// the statement changed, as PostgreSQL does: drivers keep these to decode values and show
/// the session's state.
pub async fn report_changed_settings<C>(client: &mut C, session: &Session) -> PgWireResult<()>
where
    C: Sink<PgWireBackendMessage> + Unpin + Send,
    PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
{
    for (name, value) in session.take_changed_settings() {
        client
            .feed(PgWireBackendMessage::ParameterStatus(ParameterStatus::new(
                name.to_string(),
                value,
            )))
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::settings_in_options;

    #[test]
    fn options_carry_settings() {
        let pairs = |options: &str| settings_in_options(options);
        assert_eq!(
            pairs("-c TimeZone=Asia/Shanghai -cDateStyle=ISO,\\ DMY --application-name=x -v"),
            [
                ("TimeZone".to_string(), "Asia/Shanghai".to_string()),
                ("DateStyle".to_string(), "ISO, DMY".to_string()),
                ("application_name".to_string(), "x".to_string()),
            ]
        );
    }
}

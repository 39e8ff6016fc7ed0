//! The transaction-state responses: what BEGIN, COMMIT, ROLLBACK and savepoints answer, and
//! what any statement answers inside a failed transaction block (only its end is accepted,
//! and COMMIT rolls back), as PostgreSQL answers them.

use pgwire::api::results::{Response, Tag};

use super::session::{Planned, Session, TransactionCommand};
use crate::error::{SqlError, sqlstate};

/// Whether the transaction state decides the statement's response, or it is to be run.
pub enum Outcome {
    Answered(Result<Response, SqlError>),
    Run(Planned),
}

/// Answers a transaction command, or any statement in a failed transaction block; hands
/// every other statement back to be run.
pub fn respond(session: &Session, transaction_failed: bool, planned: Planned) -> Outcome {
    let answered = match planned {
        Planned::Transaction(TransactionCommand::Commit | TransactionCommand::Rollback)
            if transaction_failed =>
        {
            session.transaction_command(TransactionCommand::Rollback);
            Ok(Response::TransactionEnd(Tag::new("ROLLBACK")))
        }
        Planned::Transaction(TransactionCommand::RollbackToSavepoint) if transaction_failed => {
            Err(SqlError::new(
                sqlstate::FEATURE_NOT_SUPPORTED,
                "ROLLBACK TO SAVEPOINT after an error is not supported: roll back the transaction",
            ))
        }
        _ if transaction_failed => Err(SqlError::new(
            sqlstate::IN_FAILED_SQL_TRANSACTION,
            "current transaction is aborted, commands ignored until end of transaction block",
        )),
        Planned::Transaction(
            command @ (TransactionCommand::Savepoint
            | TransactionCommand::Release
            | TransactionCommand::RollbackToSavepoint),
        ) if !session.in_transaction() => Err(SqlError::new(
            sqlstate::NO_ACTIVE_SQL_TRANSACTION,
            format!(
                "{} can only be used in transaction blocks",
                match command {
                    TransactionCommand::Savepoint => "SAVEPOINT",
                    TransactionCommand::Release => "RELEASE SAVEPOINT",
                    _ => "ROLLBACK TO SAVEPOINT",
                }
            ),
        )),
        Planned::Transaction(command) => {
            session.transaction_command(command);
            let tag = Tag::new(command.tag());
            Ok(match command {
                TransactionCommand::Begin => Response::TransactionStart(tag),
                TransactionCommand::Commit | TransactionCommand::Rollback => {
                    Response::TransactionEnd(tag)
                }
                TransactionCommand::Savepoint
                | TransactionCommand::Release
                | TransactionCommand::RollbackToSavepoint => Response::Execution(tag),
            })
        }
        other => return Outcome::Run(other),
    };
    Outcome::Answered(answered)
}

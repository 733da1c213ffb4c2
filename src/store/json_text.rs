//! `JsonText<T>`: a value kept in a TEXT column as JSON, decoded once when the row is read
//! and encoded when it is written, so no caller parses the column itself. The bytes are
//! serde_json's, exactly what the column held before it was typed.

use serde::{de::DeserializeOwned, Serialize};
use sqlx::sqlite::{Sqlite, SqliteTypeInfo, SqliteValueRef};
use std::ops::{Deref, DerefMut};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct JsonText<T>(pub T);

impl<T> Deref for JsonText<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> DerefMut for JsonText<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.0
    }
}

impl<T> sqlx::Type<Sqlite> for JsonText<T> {
    fn type_info() -> SqliteTypeInfo {
        <String as sqlx::Type<Sqlite>>::type_info()
    }
}

impl<'r, T: DeserializeOwned> sqlx::Decode<'r, Sqlite> for JsonText<T> {
    fn decode(value: SqliteValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        let s = <&str as sqlx::Decode<Sqlite>>::decode(value)?;
        Ok(JsonText(serde_json::from_str(s)?))
    }
}

impl<'q, T: Serialize> sqlx::Encode<'q, Sqlite> for JsonText<T> {
    fn encode_by_ref(
        &self,
        buf: &mut <Sqlite as sqlx::Database>::ArgumentBuffer<'q>,
    ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
        <String as sqlx::Encode<Sqlite>>::encode(serde_json::to_string(&self.0)?, buf)
    }
}

//! Strings (Utf8, LargeUtf8, Utf8View, dictionaries), bytea (`\x` hex text, raw binary) and
//! the Null type, which is described as text.

use std::sync::Arc;

use datafusion::arrow::array::{
    ArrayRef, BinaryArray, BinaryViewArray, DictionaryArray, FixedSizeBinaryArray, Int32Array,
    LargeBinaryArray, LargeStringArray, NullArray, StringArray, StringViewArray,
};
use datafusion::arrow::datatypes::{DataType, Int32Type};
use tokio_postgres::types::Type;

use super::{binary, column_type, decoded, strs, text};

#[test]
fn strings() {
    let values = [
        Some(""),
        Some("héllo wörld"),
        Some("a\"b\\c\n"),
        None,
        Some("NULL"),
    ];
    let arrays: [ArrayRef; 3] = [
        Arc::new(StringArray::from(values.to_vec())),
        Arc::new(LargeStringArray::from(values.to_vec())),
        Arc::new(StringViewArray::from(values.to_vec())),
    ];
    for a in arrays {
        assert_eq!(column_type(a.data_type().clone()), (Type::TEXT, -1));
        assert_eq!(text(a.clone()), strs(&values));
        assert_eq!(decoded::<String>(a), strs(&values));
    }
}

#[test]
fn dictionary_strings_decode_through_the_dictionary() {
    let keys = Int32Array::from(vec![Some(0), None, Some(1), Some(0), Some(2)]);
    let values = Arc::new(StringArray::from(vec![Some("x"), Some("y z"), None]));
    let a: ArrayRef = Arc::new(DictionaryArray::<Int32Type>::try_new(keys, values).unwrap());
    assert_eq!(column_type(a.data_type().clone()), (Type::TEXT, -1));
    let expected = strs(&[Some("x"), None, Some("y z"), Some("x"), None]);
    assert_eq!(text(a.clone()), expected);
    assert_eq!(decoded::<String>(a), expected);

    // All keys null over an empty dictionary.
    let keys = Int32Array::from(vec![None, None]);
    let a: ArrayRef = Arc::new(
        DictionaryArray::<Int32Type>::try_new(
            keys,
            Arc::new(StringArray::from(Vec::<&str>::new())),
        )
        .unwrap(),
    );
    assert_eq!(text(a), vec![None, None]);
}

#[test]
fn bytea() {
    let values: Vec<Option<&[u8]>> = vec![
        Some(&[0x00, 0x01, 0xab, 0xff]),
        Some(&[]),
        None,
        Some(b"\\"),
    ];
    let expected = strs(&[Some("\\x0001abff"), Some("\\x"), None, Some("\\x5c")]);
    let arrays: [ArrayRef; 3] = [
        Arc::new(BinaryArray::from(values.clone())),
        Arc::new(LargeBinaryArray::from(values.clone())),
        Arc::new(BinaryViewArray::from(values.clone())),
    ];
    for a in arrays {
        assert_eq!(column_type(a.data_type().clone()), (Type::BYTEA, -1));
        assert_eq!(text(a.clone()), expected);
        let owned: Vec<Option<Vec<u8>>> = values.iter().map(|v| v.map(<[u8]>::to_vec)).collect();
        assert_eq!(decoded::<Vec<u8>>(a), owned);
    }
    let fixed = vec![Some([0xde_u8, 0xad]), None, Some([0, 1])];
    let a: ArrayRef = Arc::new(
        FixedSizeBinaryArray::try_from_sparse_iter_with_size(fixed.into_iter(), 2).unwrap(),
    );
    assert_eq!(
        text(a.clone()),
        strs(&[Some("\\xdead"), None, Some("\\x0001")])
    );
    assert_eq!(
        decoded::<Vec<u8>>(a),
        vec![Some(vec![0xde, 0xad]), None, Some(vec![0, 1])]
    );
}

#[test]
fn null_column_is_text() {
    let a: ArrayRef = Arc::new(NullArray::new(3));
    assert_eq!(column_type(DataType::Null), (Type::TEXT, -1));
    assert_eq!(text(a.clone()), vec![None, None, None]);
    assert_eq!(binary(a), vec![None, None, None]);
}

//! `expand=` parsing: a comma list where an item may carry a bracketed sub-list,
//! e.g. `accounts,connector[countries]` → `["accounts", "connector[countries]"]`.

/// Splits on top-level commas, checking brackets balance. At most 64 items: anything longer
/// is a client mistake, not an expansion.
pub fn parse(s: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut cur = String::new();
    // An item's bracketed list ends it: `a[b]c` is refused, not read as `a[b]`.
    let mut closed = false;
    for ch in s.chars() {
        if closed && depth == 0 && ch != ',' && !ch.is_whitespace() {
            return Err(format!("unexpected '{ch}' after ']'"));
        }
        match ch {
            '[' => {
                depth += 1;
                if depth > 4 {
                    return Err("expansion nested too deeply".into());
                }
                cur.push(ch);
            }
            ']' => {
                depth = depth.checked_sub(1).ok_or("unbalanced ']'")?;
                closed = depth == 0;
                cur.push(ch);
            }
            ',' if depth == 0 => {
                closed = false;
                push(&mut out, &mut cur)?
            }
            c if c.is_ascii_alphanumeric() || c == '_' || c == ',' => cur.push(c),
            c if c.is_whitespace() => {}
            c => return Err(format!("unexpected character '{c}'")),
        }
    }
    if depth != 0 {
        return Err("unbalanced '['".into());
    }
    push(&mut out, &mut cur)?;
    Ok(out)
}

fn push(out: &mut Vec<String>, cur: &mut String) -> Result<(), String> {
    if !cur.is_empty() {
        if out.len() >= 64 {
            return Err("too many expansions".into());
        }
        out.push(std::mem::take(cur));
    }
    Ok(())
}

/// The base name of an item: `connector[countries]` → `connector`.
pub fn base(item: &str) -> &str {
    item.split('[').next().unwrap_or(item)
}

/// The nested items of `name[...]`, if `name` is expanded.
pub fn nested(items: &[String], name: &str) -> Option<Vec<String>> {
    items.iter().find(|i| base(i) == name).map(|i| {
        i.find('[')
            .map(|p| parse(&i[p + 1..i.len() - 1]).unwrap_or_default())
            .unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_top_level_commas_only() {
        assert_eq!(
            parse("accounts, connector[countries,sources]").unwrap(),
            vec!["accounts", "connector[countries,sources]"]
        );
        assert_eq!(
            nested(&parse("connector[countries]").unwrap(), "connector").unwrap(),
            vec!["countries"]
        );
    }

    #[test]
    fn rejects_unbalanced_brackets_and_odd_characters() {
        assert!(parse("a[b").is_err());
        assert!(parse("a]").is_err());
        assert!(parse("a;b").is_err());
        assert!(parse(&"a,".repeat(100)).is_err());
        // Nothing may follow an item's list (found by fuzzing: `[]u`).
        assert!(parse("connector[countries]x").is_err());
        assert!(parse("[]u").is_err());
        assert!(parse("a[b] , c[d]").is_ok());
    }
}

//! Compose: a Handlebars template + the dataset → a [`Document`].
//!
//! A template renders to a *document source*: TOML front matter between `+++` lines for
//! the Decree 30 frame, then CommonMark with GFM tables for the body (see [`source`]).
//! Values inserted with `{{…}}` are escaped for the part they land in (TOML strings in
//! the front matter, Markdown in the body), so no unit name can become markup.
//! Templates are compiled once per [`Composer`].

/// Number formats, a leaf shared with the appendix workbook and intake's messages.
pub use crate::format;
mod helpers;
mod inlines;
mod line_index;
pub mod problem;
pub mod source;
pub mod xhtml;

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use handlebars::template::TemplateElement;
use handlebars::{Handlebars, Template};
use thiserror::Error;

use crate::diagnostic::Lang;
use crate::doc::Document;
use crate::project::Project;

/// The templates shipped in the binary, by name; a project's own `templates/NAME.md.hbs`
/// takes precedence.
const BUILTIN_TEMPLATES: &[(&str, &str)] = &[
    (
        "bao-cao-ky",
        include_str!("../../templates/bao-cao-ky.md.hbs"),
    ),
    (
        "thong-bao-ket-qua",
        include_str!("../../templates/thong-bao-ket-qua.md.hbs"),
    ),
    ("don-doc", include_str!("../../templates/don-doc.md.hbs")),
];

/// Pieces shared between templates (`{{> bang-chi-tieu}}`); a project's own
/// `templates/partials/NAME.hbs` takes precedence.
const BUILTIN_PARTIALS: &[(&str, &str)] = &[(
    "bang-chi-tieu",
    include_str!("../../templates/partials/bang-chi-tieu.hbs"),
)];

#[derive(Debug, Error)]
pub enum ComposeError {
    #[error(
        "template `{0}` exists neither in the project's templates/ nor among the built-in ones"
    )]
    NoTemplate(String),
    #[error("cannot read template {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The template engine's `reason`, in its own words, at a line and column.
    #[error("{file}: {}{reason}", place(*at, Lang::En))]
    Template {
        file: String,
        at: Option<(usize, usize)>,
        reason: String,
    },
    #[error("{file}, line {line}: {problem}")]
    Source {
        file: String,
        line: usize,
        problem: problem::SourceProblem,
    },
}

/// "line 3, column 7: " in `lang`, or nothing.
fn place(at: Option<(usize, usize)>, lang: Lang) -> String {
    at.map_or(String::new(), |(line, column)| match lang {
        Lang::Vi => format!("dòng {line}, cột {column}: "),
        Lang::En => format!("line {line}, column {column}: "),
    })
}

/// A template that does not compile, where and why.
fn template_error(file: String, e: handlebars::TemplateError) -> ComposeError {
    ComposeError::Template {
        file,
        at: e.pos(),
        reason: e.reason().to_string(),
    }
}

impl ComposeError {
    /// The message for the clerk, in their language (the template engine's own detail
    /// stays as it said it).
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (_, Lang::En) => self.to_string(),
            (ComposeError::NoTemplate(name), Lang::Vi) => format!(
                "không có mẫu `{name}` trong thư mục templates/ của dự án, cũng không có mẫu dựng sẵn nào tên như vậy"
            ),
            (ComposeError::Read { path, source }, Lang::Vi) => {
                format!("không đọc được mẫu {}: {source}", path.display())
            }
            (ComposeError::Template { file, at, reason }, Lang::Vi) => {
                format!("{file}: lỗi trong mẫu ({}{reason})", place(*at, lang))
            }
            (
                ComposeError::Source {
                    file,
                    line,
                    problem,
                },
                Lang::Vi,
            ) => format!("{file}, dòng {line}: {}", problem.message(lang)),
        }
    }
}

/// A template split into its front matter and body, with the body's first line number.
struct Split {
    file: String,
    front_name: String,
    body_name: String,
}

/// Compiled templates by (name, source), for the whole process: a batch's communes
/// mostly share their templates, and compiling one (Handlebars' parser finds each
/// element's line from the start of the text) cost more than rendering it. Emptied when
/// it holds [`COMPILED_MAX`] of them, so many different templates cannot grow it.
static COMPILED: OnceLock<Mutex<HashMap<(String, String), Template>>> = OnceLock::new();
const COMPILED_MAX: usize = 256;

/// `source` compiled under `name`, as `register_template_string` would.
fn compile(name: &str, source: &str) -> Result<Template, handlebars::TemplateError> {
    let cache = COMPILED.get_or_init(Default::default);
    let key = (name.to_string(), source.to_string());
    if let Some(t) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return Ok(t);
    }
    let t = Template::compile_with_name(source, name.to_string())?;
    if let Ok(mut c) = cache.lock() {
        if c.len() >= COMPILED_MAX {
            c.clear();
        }
        c.insert(key, t.clone());
    }
    Ok(t)
}

/// Registers `source` under `name`, compiled as `register_template_string` would.
fn register(
    registry: &mut Handlebars<'static>,
    name: &str,
    source: &str,
) -> Result<(), handlebars::TemplateError> {
    registry.register_template(name, compile(name, source)?);
    Ok(())
}

/// Whether a partial's text can be put in place of its call (see [`inline_partials`]):
/// it reaches nothing outside the context it is given (`../`) and uses no partial block
/// or inline partial, the only ways its own scope shows.
fn is_inlinable(partial_source: &str) -> bool {
    !["../", "@partial-block", "*inline"]
        .iter()
        .any(|s| partial_source.contains(s))
}

/// `template` with each `{{> name}}` at its top level — no parameters, no hash, not
/// indented, `name` one of the `inlinable` partials registered in `registry` — replaced
/// by that partial's own elements.
///
/// Handlebars gives a partial its context by cloning it whole (handlebars 6.4,
/// `partial::expand_partial` → `merge_json`, even with nothing to merge): for the
/// period report and the notice, the whole period's dataset twice per commune, 4 % of a
/// batch with its drop. Outside any block a call without parameters sees exactly the
/// context, local variables (none) and block parameters (none) its caller sees, so the
/// partial's elements rendered in place give the same text. Calls inside a block, and a
/// template that defines inline partials (which could shadow a registered one), are
/// left to Handlebars.
fn inline_partials(
    template: &mut Template,
    registry: &Handlebars<'static>,
    inlinable: &HashSet<String>,
    source: &str,
) {
    if source.contains("*inline") || template.elements.len() != template.mapping.len() {
        return;
    }
    let elements = std::mem::take(&mut template.elements);
    let mapping = std::mem::take(&mut template.mapping);
    for (element, at) in elements.into_iter().zip(mapping) {
        match partial_of(&element, registry, inlinable) {
            Some(partial) => {
                template.elements.extend(partial.elements.iter().cloned());
                template.mapping.extend(partial.mapping.iter().cloned());
            }
            None => {
                template.elements.push(element);
                template.mapping.push(at);
            }
        }
    }
}

/// The partial `element` calls, if [`inline_partials`] may put it in the call's place.
fn partial_of<'r>(
    element: &TemplateElement,
    registry: &'r Handlebars<'static>,
    inlinable: &HashSet<String>,
) -> Option<&'r Template> {
    let TemplateElement::PartialExpression(call) = element else {
        return None;
    };
    let plain = call.params.is_empty()
        && call.hash.is_empty()
        && call.template.is_none()
        && call.indent.as_deref().unwrap_or("").is_empty();
    let name = call.name.as_name()?;
    let partial = registry.get_template(name)?;
    (plain && inlinable.contains(name) && partial.elements.len() == partial.mapping.len())
        .then_some(partial)
}

/// The built-in partials, then the project's `templates/partials/*.hbs` (sorted, so a
/// run repeats), each registered under its file name without `.hbs`. Returns the names
/// of those whose calls may be inlined ([`is_inlinable`]).
fn register_partials(
    project: &Project,
    body: &mut Handlebars<'static>,
) -> Result<HashSet<String>, ComposeError> {
    let error = |file: String| move |e: handlebars::TemplateError| template_error(file.clone(), e);
    let mut inlinable = HashSet::new();
    let mut note = |name: &str, text: &str| {
        if is_inlinable(text) {
            inlinable.insert(name.to_string());
        } else {
            inlinable.remove(name);
        }
    };
    for (name, text) in BUILTIN_PARTIALS {
        register(body, name, text).map_err(error(format!("templates/partials/{name}.hbs")))?;
        note(name, text);
    }
    let dir = project.root.join("templates").join("partials");
    let world = project.world();
    let Ok(entries) = world.list(&dir) else {
        return Ok(inlinable);
    };
    let mut paths: Vec<PathBuf> = entries
        .into_iter()
        .filter(|p| world.is_file(p) && p.extension().is_some_and(|x| x == "hbs"))
        .collect();
    paths.sort();
    for path in paths {
        let Some(name) = path
            .file_stem()
            .and_then(|s| s.to_str())
            .map(str::to_string)
        else {
            continue;
        };
        let text = world
            .read_to_string(&path)
            .map_err(|source| ComposeError::Read {
                path: path.clone(),
                source,
            })?;
        register(body, &name, &text).map_err(error(path.display().to_string()))?;
        note(&name, &text);
    }
    Ok(inlinable)
}

/// Compiled templates of one project.
pub struct Composer<'p> {
    project: &'p Project,
    front: Handlebars<'static>,
    body: Handlebars<'static>,
    /// Partials whose plain calls are put in place ([`inline_partials`]).
    inlinable: HashSet<String>,
    templates: Vec<(String, Split)>,
}

impl<'p> Composer<'p> {
    /// Compiles the templates the project's `[[documents]]` name.
    pub fn new(project: &'p Project) -> Result<Composer<'p>, ComposeError> {
        let mut front = Handlebars::new();
        front.set_strict_mode(true);
        front.register_escape_fn(source::escape_toml);
        helpers::register(&mut front);
        let mut body = Handlebars::new();
        body.set_strict_mode(true);
        body.register_escape_fn(source::escape_markdown);
        helpers::register(&mut body);
        let inlinable = register_partials(project, &mut body)?;
        let mut composer = Composer {
            project,
            front,
            body,
            inlinable,
            templates: Vec::new(),
        };
        for spec in &project.documents {
            composer.load(&spec.template)?;
        }
        Ok(composer)
    }

    fn load(&mut self, name: &str) -> Result<(), ComposeError> {
        if self.templates.iter().any(|(n, _)| n == name) {
            return Ok(());
        }
        let own = self
            .project
            .root
            .join("templates")
            .join(format!("{name}.md.hbs"));
        let world = self.project.world();
        let (file, text) = if world.is_file(&own) {
            let text = world
                .read_to_string(&own)
                .map_err(|source| ComposeError::Read {
                    path: own.clone(),
                    source,
                })?;
            (own.display().to_string(), text)
        } else if let Some((_, text)) = BUILTIN_TEMPLATES.iter().find(|(n, _)| *n == name) {
            (format!("templates/{name}.md.hbs"), text.to_string())
        } else {
            return Err(ComposeError::NoTemplate(name.to_string()));
        };
        let (front_src, body_src) =
            source::split_template(&text).map_err(|(line, problem)| ComposeError::Source {
                file: file.clone(),
                line,
                problem,
            })?;
        let split = Split {
            file: file.clone(),
            front_name: format!("{name}#front"),
            body_name: format!("{name}#body"),
        };
        let template_error = |e| template_error(file.clone(), e);
        register(&mut self.front, &split.front_name, &front_src).map_err(template_error)?;
        let mut body = compile(&split.body_name, &body_src).map_err(template_error)?;
        inline_partials(&mut body, &self.body, &self.inlinable, &body_src);
        self.body.register_template(&split.body_name, body);
        self.templates.push((name.to_string(), split));
        Ok(())
    }

    /// Gives the document its number (số), also in its appendices' reference lines.
    pub fn set_number(&self, doc: &mut Document, number: u32) {
        doc.frame.number = Some(number);
        let reference = source::reference_line(&doc.frame, self.project);
        for a in &mut doc.appendices {
            a.reference = reference.clone();
        }
    }

    /// Renders template `name` with `context` and reads the result into a document.
    /// The context is borrowed: one context serves every document of a period (a
    /// per-unit document sets its `unit` in it first), where a copy per document and
    /// its drop were a third of composing.
    pub fn compose(
        &self,
        name: &str,
        context: &handlebars::Context,
    ) -> Result<Document, ComposeError> {
        let (_, split) = self
            .templates
            .iter()
            .find(|(n, _)| n == name)
            .ok_or_else(|| ComposeError::NoTemplate(name.to_string()))?;
        let render_error = |e: handlebars::RenderError| ComposeError::Template {
            file: split.file.clone(),
            at: e.line_no.zip(e.column_no),
            reason: e.reason().to_string(),
        };
        let front = self
            .front
            .render_with_context(&split.front_name, context)
            .map_err(render_error)?;
        let body = self
            .body
            .render_with_context(&split.body_name, context)
            .map_err(render_error)?;
        source::read(self.project, &front, &body, context.data()).map_err(|(line, problem)| {
            ComposeError::Source {
                file: format!("{} (as rendered)", split.file),
                line,
                problem,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A registry holding partials `p` (plain) and `up` (reaches `../`), with
    /// `template` registered twice: as Handlebars compiles it (`plain`) and inlined.
    fn both(template: &str) -> (Handlebars<'static>, Template) {
        let mut registry = Handlebars::new();
        registry.set_strict_mode(true);
        let partials = [
            ("p", "[{{name}} {{#if ok}}đạt{{else}}chưa{{/if}}]\n"),
            ("up", "{{../name}}"),
        ];
        let mut inlinable = HashSet::new();
        for (name, text) in partials {
            register(&mut registry, name, text).unwrap();
            if is_inlinable(text) {
                inlinable.insert(name.to_string());
            }
        }
        register(&mut registry, "plain", template).unwrap();
        let mut inlined = compile("inlined", template).unwrap();
        inline_partials(&mut inlined, &registry, &inlinable, template);
        registry.register_template("inlined", inlined.clone());
        (registry, inlined)
    }

    fn partial_calls(t: &Template) -> usize {
        t.elements
            .iter()
            .filter(|e| matches!(e, TemplateElement::PartialExpression(_)))
            .count()
    }

    #[test]
    fn a_plain_partial_call_at_the_top_level_renders_the_same_inlined() {
        let template = "Đầu\n{{> p}}\ngiữa:{{> p}}cuối\n{{#each units}}{{> p}}{{/each}}\n";
        let (registry, inlined) = both(template);
        // Both top-level calls are put in place; the one inside #each is left.
        assert_eq!(partial_calls(&inlined), 0);
        let data = serde_json::json!({
            "name": "Xã A", "ok": true,
            "units": [{"name": "Thôn 1", "ok": false}, {"name": "Thôn 2", "ok": true}],
        });
        let plain = registry.render("plain", &data).unwrap();
        assert_eq!(registry.render("inlined", &data).unwrap(), plain);
        assert!(plain.contains("[Xã A đạt]"), "{plain}");
        assert!(plain.contains("[Thôn 1 chưa]"), "{plain}");
    }

    #[test]
    fn a_partial_call_with_a_context_hash_or_indent_or_reaching_up_is_left_to_handlebars() {
        for template in [
            "{{> p units.[0]}}",
            "{{> p name=\"khác\"}}",
            "  {{> p}}\n",
            // Handlebars indents the lines of a partial after spaces even inside a line.
            "giữa {{> p}} cuối",
            "{{> up}}",
            "{{#*inline \"p\"}}riêng{{/inline}}{{> p}}",
        ] {
            let (registry, inlined) = both(template);
            assert_eq!(partial_calls(&inlined), 1, "{template}");
            let data = serde_json::json!({"name": "Xã A", "ok": true, "units": [{"name": "T", "ok": true}]});
            let plain = registry.render("plain", &data);
            let put = registry.render("inlined", &data);
            assert_eq!(put.ok(), plain.ok(), "{template}");
        }
    }

    #[test]
    fn an_error_in_an_inlined_partial_is_still_an_error() {
        let (registry, _) = both("{{> p}}");
        // Strict mode: `name` missing fails in the partial, inlined or not.
        let data = serde_json::json!({"ok": true});
        assert!(registry.render("plain", &data).is_err());
        assert!(registry.render("inlined", &data).is_err());
    }
}

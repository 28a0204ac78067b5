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

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

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

/// Registers `source` under `name`, compiled as `register_template_string` would.
fn register(
    registry: &mut Handlebars<'static>,
    name: &str,
    source: &str,
) -> Result<(), handlebars::TemplateError> {
    let cache = COMPILED.get_or_init(Default::default);
    let key = (name.to_string(), source.to_string());
    let cached = cache.lock().ok().and_then(|c| c.get(&key).cloned());
    let template = match cached {
        Some(t) => t,
        None => {
            let t = Template::compile_with_name(source, name.to_string())?;
            if let Ok(mut c) = cache.lock() {
                if c.len() >= COMPILED_MAX {
                    c.clear();
                }
                c.insert(key, t.clone());
            }
            t
        }
    };
    registry.register_template(name, template);
    Ok(())
}

/// The built-in partials, then the project's `templates/partials/*.hbs` (sorted, so a
/// run repeats), each registered under its file name without `.hbs`.
fn register_partials(
    project: &Project,
    body: &mut Handlebars<'static>,
) -> Result<(), ComposeError> {
    let error = |file: String| move |e: handlebars::TemplateError| template_error(file.clone(), e);
    for (name, text) in BUILTIN_PARTIALS {
        register(body, name, text).map_err(error(format!("templates/partials/{name}.hbs")))?;
    }
    let dir = project.root.join("templates").join("partials");
    let world = project.world();
    let Ok(entries) = world.list(&dir) else {
        return Ok(());
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
    }
    Ok(())
}

/// Compiled templates of one project.
pub struct Composer<'p> {
    project: &'p Project,
    front: Handlebars<'static>,
    body: Handlebars<'static>,
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
        register_partials(project, &mut body)?;
        let mut composer = Composer {
            project,
            front,
            body,
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
        register(&mut self.body, &split.body_name, &body_src).map_err(template_error)?;
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

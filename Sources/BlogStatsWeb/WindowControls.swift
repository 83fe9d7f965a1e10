/// The window presets, the custom range form and the step chooser; plain links and GET
/// forms, so they work without script and everything lands in the URL.
struct WindowControls {
    var context: PageContext
    /// The page's path (`/blogs/default`, `/posts/default/ID`).
    var path: String
    /// Other parameters of the page to keep (the post filter, the list length).
    var extra: [(String, String)] = []

    func html() -> String {
        let window = context.window
        var out = "<section class=\"controls\" aria-label=\"Time window\"><nav class=\"presets\">"
        let current = window.preset
        for preset in DashboardWindow.presets {
            let parameters = (preset.value == DashboardWindow.defaultPreset ? [] : [("from", preset.value)]) + extra
            let marker = current == preset.value ? " aria-current=\"true\"" : ""
            out += "<a href=\"\(path)\(HTML.query(parameters))\"\(marker) title=\"\(preset.title)\">"
            out += "\(preset.label)</a>"
        }
        out += "</nav>"

        out += "<details class=\"custom\"\(current == nil ? " open" : "")><summary>Custom range</summary>"
        out += "<form method=\"get\" action=\"\(path)\"><label>From <input type=\"datetime-local\" name=\"from\""
        out += " value=\"\(context.clock.inputValue(window.from))\" required></label>"
        out += "<label>To <input type=\"datetime-local\" name=\"to\""
        out += " value=\"\(window.endsNow ? "" : context.clock.inputValue(window.to))\"></label>"
        out += hidden(extra)
        out += "<button type=\"submit\">Show</button>"
        out += "<small>\(HTML.escape(context.clock.zone)) time; leave “To” empty for now.</small></form></details>"

        out += "<form class=\"step\" method=\"get\" action=\"\(path)\">"
        out += hidden(window.parameters(includeStep: false) + extra)
        out += "<label>Step <select name=\"step\" data-autosubmit>"
        let automatic = window.requestedStep == nil ? " selected" : ""
        out += "<option value=\"\"\(automatic)>auto (\(StepText.label(window.automaticStep)))</option>"
        var steps = window.steps
        if let requested = window.requestedStep, !steps.contains(requested) { steps.append(requested) }
        for step in steps {
            let selected = window.requestedStep == step ? " selected" : ""
            out += "<option value=\"\(StepText.parameter(step))\"\(selected)>\(StepText.label(step))</option>"
        }
        out += "</select></label><button type=\"submit\" class=\"apply\">Apply</button></form></section>"
        return out
    }

    func hidden(_ parameters: [(String, String)]) -> String {
        parameters.map {
            "<input type=\"hidden\" name=\"\(HTML.escape($0.0))\" value=\"\(HTML.escape($0.1))\">"
        }.joined()
    }
}

/// Server-rendered HTML and SVG for the dashboard (being built).
public enum Dashboard {}

package steps

import (
	"fmt"
	"os"
	"strings"
)

// writeSummary writes the Markdown site × scenario matrix to --summary and
// appends it to $GITHUB_STEP_SUMMARY when that is set.
func writeSummary(cfg *Config, res *Result) error {
	md := summaryMarkdown(cfg, res)
	if cfg.Summary != "" {
		if err := os.WriteFile(cfg.Summary, []byte(md), 0o644); err != nil {
			return fmt.Errorf("--summary: %w", err)
		}
	}
	if path := cfg.Env("GITHUB_STEP_SUMMARY"); path != "" {
		f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			return fmt.Errorf("GITHUB_STEP_SUMMARY: %w", err)
		}
		defer f.Close()
		if _, err := f.WriteString(md); err != nil {
			return fmt.Errorf("GITHUB_STEP_SUMMARY: %w", err)
		}
	}
	return nil
}

var marks = map[string]string{"passed": "✅", "failed": "❌", "skipped": "⏭️"}

func summaryMarkdown(cfg *Config, res *Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "## HAMR contract suite (%s", cfg.Mode)
	if cfg.Sandbox {
		b.WriteString(", local sandbox")
	}
	b.WriteString(")\n\n| scenario | " + strings.Join(cfg.Sites, " | ") + " |\n|---|")
	b.WriteString(strings.Repeat("---|", len(cfg.Sites)) + "\n")

	cells := map[string]map[string]string{}
	var order []string
	for _, o := range res.Outcomes {
		if cells[o.Scenario] == nil {
			cells[o.Scenario] = map[string]string{}
			order = append(order, o.Scenario)
		}
		cells[o.Scenario][o.Site] = marks[o.Status]
	}
	for _, scenario := range order {
		row := make([]string, len(cfg.Sites))
		for i, site := range cfg.Sites {
			row[i] = cells[scenario][site]
			if row[i] == "" {
				row[i] = "·" // filtered out by --tags
			}
		}
		fmt.Fprintf(&b, "| %s | %s |\n", strings.ReplaceAll(scenario, "|", `\|`), strings.Join(row, " | "))
	}
	var notes []string
	for _, o := range res.Outcomes {
		if o.Status != "passed" {
			notes = append(notes, fmt.Sprintf("- %s %s, %s: %s", marks[o.Status], o.Site, o.Scenario, firstLine(o.Reason)))
		}
	}
	if len(notes) > 0 {
		b.WriteString("\n" + strings.Join(notes, "\n") + "\n")
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(&b, "- ⚠️ %s\n", w)
	}
	return b.String()
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

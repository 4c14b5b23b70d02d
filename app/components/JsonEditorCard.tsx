import { TextField } from "@shopify/polaris";
import type { ReactNode } from "react";
import { SectionCard } from "~/components/SectionCard";

/**
 * A card for editing a whole document as JSON text: a heading and a large monospaced field (spell
 * checking off, so JSON keys are not underlined). Checking the text is the page's business: it passes
 * its problem list, errors and buttons as children, shown below the field in the order it gives them.
 */
export function JsonEditorCard({
  title,
  label,
  value,
  onChange,
  helpText,
  children,
}: {
  title: string;
  /** The field's accessible name; the heading stands in for it on screen. */
  label: string;
  value: string;
  onChange: (value: string) => void;
  helpText: string;
  children?: ReactNode;
}) {
  return (
    <SectionCard title={title} isEmpty={false} emptyText="">
      <TextField
        label={label}
        labelHidden
        value={value}
        onChange={onChange}
        multiline={24}
        maxHeight={640}
        monospaced
        autoComplete="off"
        spellCheck={false}
        helpText={helpText}
      />
      {children}
    </SectionCard>
  );
}

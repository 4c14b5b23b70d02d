import { TextField } from "@shopify/polaris";

/**
 * A write-only field for a stored credential (token, app secret). The secret itself never comes back
 * to the page, only its last four characters, so the placeholder shows those and says that a blank
 * field keeps the stored secret (the server's save reads a blank value that way).
 */
export function SecretField({
  label,
  value,
  onChange,
  hint,
  helpText,
  error,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** The stored secret's last four characters; null or undefined when none is stored. */
  hint: string | null | undefined;
  helpText: string;
  error: string | undefined;
}) {
  return (
    <TextField
      label={label}
      type="password"
      value={value}
      onChange={onChange}
      autoComplete="off"
      placeholder={hint ? `•••• ${hint} (leave blank to keep it)` : undefined}
      helpText={helpText}
      error={error}
    />
  );
}

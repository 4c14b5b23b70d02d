import { Toast } from "@shopify/polaris";
import { useCallback, useState, type ReactNode } from "react";

interface ToastMessage {
  content: string;
  error: boolean;
  /** A new key per message, so the same text twice still shows twice. */
  key: number;
}

/**
 * A short confirmation ("Feed URL copied") that works in both modes. Inside Shopify Admin, App
 * Bridge draws the toast (`shopify.toast`); the demo has no App Bridge but renders inside a Polaris
 * Frame, so it uses Polaris' Toast. Render `toast` anywhere in the page.
 */
export function useFeedbackToast(embedded: boolean): { show: (content: string, options?: { error?: boolean }) => void; toast: ReactNode } {
  const [message, setMessage] = useState<ToastMessage | null>(null);
  const show = useCallback(
    (content: string, options: { error?: boolean } = {}) => {
      const error = options.error ?? false;
      if (embedded && typeof shopify !== "undefined") {
        shopify.toast.show(content, { isError: error });
        return;
      }
      setMessage({ content, error, key: Date.now() });
    },
    [embedded],
  );
  const toast = message ? <Toast key={message.key} content={message.content} error={message.error} onDismiss={() => setMessage(null)} /> : null;
  return { show, toast };
}

import { Autocomplete, Icon } from "@shopify/polaris";
import { SearchIcon } from "@shopify/polaris-icons";
import { useEffect, useRef, useState } from "react";

export interface PickableProduct {
  id: string;
  title: string;
  variantCount: number;
}

/**
 * Picks the product the preview runs on. Typing narrows the list on the server (`onSearch`, 300 ms
 * after the last keystroke); the list shows what the loader returned for that search.
 */
export function ProductPicker({
  products,
  search,
  selected,
  onSelect,
  onSearch,
  loading,
  label = "Preview with product",
}: {
  products: PickableProduct[];
  /** The search the list was loaded with. */
  search: string;
  selected: PickableProduct | null;
  onSelect: (product: PickableProduct) => void;
  onSearch: (search: string) => void;
  loading: boolean;
  /** The box's label; the mapping preview's by default. */
  label?: string;
}) {
  const [text, setText] = useState(selected?.title ?? "");
  const searched = useRef(search);

  useEffect(() => {
    const wanted = text.trim();
    if (wanted === searched.current || (selected && wanted === selected.title)) return;
    const timer = setTimeout(() => {
      searched.current = wanted;
      onSearch(wanted);
    }, 300);
    return () => clearTimeout(timer);
  }, [text, selected, onSearch]);

  const options = products.map((product) => ({
    value: product.id,
    label: `${product.title} · ${product.variantCount} ${product.variantCount === 1 ? "variant" : "variants"}`,
  }));

  return (
    <Autocomplete
      options={options}
      selected={selected ? [selected.id] : []}
      loading={loading}
      emptyState={<div style={{ padding: "0.75rem" }}>No product matches “{text}”.</div>}
      onSelect={(ids) => {
        const product = products.find((p) => p.id === ids[0]);
        if (!product) return;
        // The box shows the chosen product's title; a new choice replaces what was typed.
        setText(product.title);
        onSelect(product);
      }}
      textField={
        <Autocomplete.TextField
          label={label}
          autoComplete="off"
          value={text}
          onChange={setText}
          prefix={<Icon source={SearchIcon} tone="base" />}
          placeholder="Search products by title"
          clearButton
          onClearButtonClick={() => setText("")}
        />
      }
    />
  );
}

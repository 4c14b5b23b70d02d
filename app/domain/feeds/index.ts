export { createFeedSerializer, type FeedSerializer, type FeedSerializerOptions } from "./serializer";
export { neutralizeFormula, quoteField, type Delimiter } from "./csv";
export { escapeXmlText, stripXmlForbidden, XML_MAX_LINE_BYTES, type RssOptions } from "./xml";

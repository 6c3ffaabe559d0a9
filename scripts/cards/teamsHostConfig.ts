/**
 * A host config close to Teams' light theme (fonts, sizes, colours, spacing),
 * for rendering our cards as a Teams user sees them. Teams does not publish its
 * own; these values follow the Adaptive Cards host config schema
 * (https://learn.microsoft.com/adaptive-cards/rendering-cards/host-config) and
 * Teams' Fluent type ramp.
 */
export const teamsHostConfig = {
  supportsInteractivity: true,
  fontFamily: "'Segoe UI', 'Helvetica Neue', Arial, sans-serif",
  spacing: { small: 4, default: 8, medium: 16, large: 20, extraLarge: 24, padding: 16 },
  separator: { lineThickness: 1, lineColor: "#E0E0E0" },
  fontSizes: { small: 12, default: 14, medium: 14, large: 18, extraLarge: 24 },
  fontWeights: { lighter: 300, default: 400, bolder: 600 },
  imageSizes: { small: 32, medium: 52, large: 100 },
  containerStyles: {
    default: {
      backgroundColor: "#FFFFFF",
      foregroundColors: {
        default: { default: "#242424", subtle: "#616161" },
        accent: { default: "#5B5FC7", subtle: "#7579EB" },
        good: { default: "#0E700E", subtle: "#107C10" },
        warning: { default: "#835B00", subtle: "#8A6100" },
        attention: { default: "#C4314B", subtle: "#D13438" },
        dark: { default: "#242424", subtle: "#424242" },
        light: { default: "#FFFFFF", subtle: "#F5F5F5" },
      },
    },
    emphasis: {
      backgroundColor: "#F5F5F5",
      foregroundColors: {
        default: { default: "#242424", subtle: "#616161" },
        accent: { default: "#5B5FC7", subtle: "#7579EB" },
        good: { default: "#0E700E", subtle: "#107C10" },
        warning: { default: "#835B00", subtle: "#8A6100" },
        attention: { default: "#C4314B", subtle: "#D13438" },
        dark: { default: "#242424", subtle: "#424242" },
        light: { default: "#FFFFFF", subtle: "#F5F5F5" },
      },
    },
    good: { backgroundColor: "#E7F2DA" },
    warning: { backgroundColor: "#FBF6D9" },
    attention: { backgroundColor: "#FCF4F6" },
    accent: { backgroundColor: "#E8EBFA" },
  },
  actions: {
    maxActions: 6,
    spacing: "default",
    buttonSpacing: 8,
    showCard: { actionMode: "inline", inlineTopMargin: 16 },
    actionsOrientation: "horizontal",
    actionAlignment: "left",
  },
  adaptiveCard: { allowCustomStyle: true },
  factSet: {
    title: { color: "default", size: "default", isSubtle: false, weight: "bolder", wrap: true, maxWidth: 150 },
    value: { color: "default", size: "default", isSubtle: false, weight: "default", wrap: true },
    spacing: 8,
  },
  textBlock: { headingLevel: 2 },
} as const;

/** Styles the renderer's buttons and the page around a card the way Teams' chat pane does. */
export const teamsPageCss = `
  body { margin: 0; padding: 12px; background: #F5F5F5; font-family: 'Segoe UI', 'Helvetica Neue', Arial, sans-serif; }
  .message { width: 540px; }
  .from { font-size: 12px; color: #616161; margin: 0 0 4px 2px; }
  .bubble { background: #FFFFFF; border-radius: 6px; box-shadow: 0 1px 2px rgba(0,0,0,.14); overflow: hidden; }
  .text { padding: 12px 16px; font-size: 14px; color: #242424; white-space: pre-wrap; }
  .ac-pushButton { font: 600 14px 'Segoe UI', Arial, sans-serif; padding: 5px 12px; min-height: 32px; border-radius: 4px;
    border: 1px solid #D1D1D1; background: #FFFFFF; color: #242424; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
  .ac-pushButton.style-positive, .ac-pushButton.primary { background: #5B5FC7; color: #FFFFFF; border-color: #5B5FC7; }
  .ac-pushButton.style-destructive { color: #C4314B; border-color: #C4314B; }
  .ac-pushButton.expanded { background: #EBEBEB; }
  .ac-ctrl-overflow { font-size: 18px; }
  .ac-textBlock p { margin: 0; }
  .ac-textBlock ol, .ac-textBlock ul { margin: 0; padding-left: 24px; box-sizing: border-box; width: 100%; }
  .ac-table-cell { padding: 4px 6px; }
`;

enum SlackKitPlaceholder {}

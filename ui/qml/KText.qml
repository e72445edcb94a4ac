import QtQuick

Text {
    Theme { id: theme }
    color: theme.text
    font.pixelSize: theme.body
    wrapMode: Text.WordWrap
}

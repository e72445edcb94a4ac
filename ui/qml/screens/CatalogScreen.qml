import QtQuick
import ".."

// The services of one category.
Item {
    Theme { id: theme }
    Column {
        width: parent.width
        spacing: theme.gap
        // Above the Back button: with large text at 1280×1024 the tiles shrink to the room.
        transformOrigin: Item.TopLeft
        scale: Math.min(1, (parent.height - theme.touch - theme.gap) / Math.max(1, implicitHeight))
        KText {
            width: parent.width
            font.pixelSize: theme.large
            font.bold: true
            text: kiosk.menu.category === "mobile" ? qsTr("Mobile phone") : qsTr("E-wallets")
        }
        KText {
            width: parent.width
            color: theme.muted
            text: qsTr("Choose where the money goes")
        }
        Grid {
            width: parent.width
            columns: window.portrait ? 1 : 3
            spacing: theme.gap
            Repeater {
                model: kiosk.menu.services
                // The tile says the price before anything is typed: no commission, or the rate.
                KButton {
                    objectName: "service_" + modelData.id
                    width: window.portrait ? parent.width : (parent.width - theme.gap * 2) / 3
                    text: modelData.name
                    detail: modelData.price
                    onPressed: kiosk.chooseService(modelData.id)
                }
            }
        }
    }
    KButton {
        objectName: "backButton"
        anchors.left: parent.left
        anchors.bottom: parent.bottom
        text: qsTr("Back")
        onPressed: kiosk.showPage("idle")
    }
}

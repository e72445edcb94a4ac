import QtQuick
import ".."

// The "i" screen: who runs this terminal and how to reach support.
Item {
    Theme { id: theme }
    Column {
        id: lines
        width: parent.width
        spacing: theme.gap
        // Above the Back button, shrunk to the room where the lines are long (kk, square).
        transformOrigin: Item.TopLeft
        scale: Math.min(1, (parent.height - theme.touch - theme.gap) / Math.max(1, implicitHeight))
        KText { font.pixelSize: theme.large; font.bold: true; text: qsTr("About this terminal") }
        KText { objectName: "infoTerminal"; width: parent.width; text: qsTr("Terminal number: %1").arg(kiosk.info.terminalId) }
        KText { width: parent.width; text: qsTr("Address: %1").arg(kiosk.info.address) }
        KText { width: parent.width; text: qsTr("Payment agent: %1").arg(kiosk.info.agentName) }
        KText { width: parent.width; text: qsTr("BIN: %1").arg(kiosk.info.agentBin) }
        KText { width: parent.width; text: qsTr("Support: %1").arg(kiosk.info.supportPhone.replace(/ /g, "\u00a0"))  /* a phone never breaks across lines */ }
        KText {
            width: parent.width
            color: theme.muted
            text: qsTr("Lost your receipt? Tell support the terminal number and the time of payment.")
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

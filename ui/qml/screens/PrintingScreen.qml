import QtQuick
import ".."

Item {
    Theme { id: theme }
    KText {
        objectName: "printingText"
        anchors.centerIn: parent
        width: parent.width * 0.8
        horizontalAlignment: Text.AlignHCenter
        font.pixelSize: theme.large
        text: qsTr("Completing the payment and printing the receipt…")
    }
}

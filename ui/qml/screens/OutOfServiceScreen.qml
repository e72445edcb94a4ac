import QtQuick
import ".."

Item {
    Theme { id: theme }
    Column {
        anchors.centerIn: parent
        width: parent.width * 0.9
        spacing: theme.gap * 2
        KText { width: parent.width; horizontalAlignment: Text.AlignHCenter; font.pixelSize: theme.huge; font.bold: true; text: qsTr("Temporarily out of service") }
        KText { objectName: "outOfServiceReason"; width: parent.width; horizontalAlignment: Text.AlignHCenter; text: kiosk.outOfServiceText }
        KText { width: parent.width; horizontalAlignment: Text.AlignHCenter; color: theme.muted; text: qsTr("Please do not insert cash. Support: %1").arg(kiosk.info.supportPhone) }
    }
}

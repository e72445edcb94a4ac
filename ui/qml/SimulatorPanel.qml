import QtQuick
import QtQuick.Window

// The demo's second window: drive the simulated devices like a customer or a fault would.
Window {
    objectName: "simulatorWindow"
    visible: true
    width: 560
    height: 900
    title: "Kiosk simulator"
    color: "#1d1d1d"
    Flow {
        anchors.fill: parent
        anchors.margins: 16
        spacing: 12
        Text { width: parent.width; color: "white"; font.pixelSize: 24; font.bold: true; text: "Bill acceptor" }
        Repeater {
            model: simulator.notes
            KButton { objectName: "sim_note_" + modelData; implicitWidth: 160; implicitHeight: 80; text: modelData + " ₸"; onPressed: simulator.insert(modelData) }
        }
        KButton { objectName: "sim_fake"; implicitWidth: 250; implicitHeight: 80; text: "Fake note"; onPressed: simulator.fake() }
        KButton { objectName: "sim_jam"; implicitWidth: 250; implicitHeight: 80; text: "Jam"; onPressed: simulator.jam() }
        KButton { objectName: "sim_clear"; implicitWidth: 250; implicitHeight: 80; text: "Clear jam"; onPressed: simulator.clear() }
        KButton { objectName: "sim_cassette_out"; implicitWidth: 250; implicitHeight: 80; text: "Cassette out"; onPressed: simulator.cassetteOut() }
        KButton { objectName: "sim_cassette_in"; implicitWidth: 250; implicitHeight: 80; text: "Cassette in"; onPressed: simulator.cassetteIn() }
        Text { width: parent.width; color: "white"; font.pixelSize: 24; font.bold: true; text: "Network" }
        KButton {
            objectName: "sim_network"
            implicitWidth: 516; implicitHeight: 80
            active: simulator.hasLedger
            primary: simulator.networkDown
            text: simulator.networkDown ? "Bring the network back" : "Cut the network to the ledger"
            onPressed: simulator.toggleNetwork()
        }
        Text { width: parent.width; color: "#bbbbbb"; font.pixelSize: 20; wrapMode: Text.WordWrap; text: "No printer is simulated in this build: receipts show as not printed." }
        Text { objectName: "sim_message"; width: parent.width; color: "#ffd23f"; font.pixelSize: 22; wrapMode: Text.WordWrap; text: simulator.message }
    }
}
